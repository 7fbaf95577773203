0N!solve[5];
