0N!solve[3 4 -1 1];
