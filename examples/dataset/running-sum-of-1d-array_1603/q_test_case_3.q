0N!solve[3 1 2 10 1];
