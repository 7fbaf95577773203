0N!solve[0 1];
