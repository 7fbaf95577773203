0N!solve[-1 1 0 -3 3];
