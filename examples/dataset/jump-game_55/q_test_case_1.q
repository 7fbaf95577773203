0N!solve[2 3 1 1 4];
