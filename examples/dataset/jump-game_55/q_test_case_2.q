0N!solve[3 2 1 0 4];
