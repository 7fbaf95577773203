0N!solve[1 3 1];
