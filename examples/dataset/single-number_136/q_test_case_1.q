0N!solve[2 2 1];
