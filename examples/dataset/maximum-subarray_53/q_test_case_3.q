0N!solve[5 4 -1 7 8];
