0N!solve[1 2 0];
