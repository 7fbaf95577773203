0N!solve[2];
