0N!solve[4 1 2 1 2];
