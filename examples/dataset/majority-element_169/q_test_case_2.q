0N!solve[2 2 1 1 1 2 2];
