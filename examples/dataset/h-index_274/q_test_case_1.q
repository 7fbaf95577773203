0N!solve[3 0 6 1 5];
