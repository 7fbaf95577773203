0N!solve[15];
