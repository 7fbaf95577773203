0N!solve[1 2 3 4];
