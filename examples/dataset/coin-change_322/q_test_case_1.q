0N!solve[1 2 5;11];
