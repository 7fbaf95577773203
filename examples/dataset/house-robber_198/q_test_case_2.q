0N!solve[2 7 9 3 1];
