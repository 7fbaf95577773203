0N!solve[2 4];
