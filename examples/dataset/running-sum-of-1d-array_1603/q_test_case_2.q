0N!solve[1 1 1 1 1];
