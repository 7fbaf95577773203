0N!solve[7 6 4 3 1];
