0N!solve[3;7];
