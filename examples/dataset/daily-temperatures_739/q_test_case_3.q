0N!solve[30 60 90];
