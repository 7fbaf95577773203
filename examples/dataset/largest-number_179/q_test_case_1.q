0N!solve[10 2];
