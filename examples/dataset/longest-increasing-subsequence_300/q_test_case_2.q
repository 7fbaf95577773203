0N!solve[0 1 0 3 2 3];
