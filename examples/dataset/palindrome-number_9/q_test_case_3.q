0N!solve[10];
