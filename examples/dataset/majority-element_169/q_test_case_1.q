0N!solve[3 2 3];
