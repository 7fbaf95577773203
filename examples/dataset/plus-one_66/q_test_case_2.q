0N!solve[4 3 2 1];
