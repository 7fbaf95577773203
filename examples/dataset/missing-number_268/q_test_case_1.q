0N!solve[3 0 1];
