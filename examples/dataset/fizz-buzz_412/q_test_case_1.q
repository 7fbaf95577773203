0N!solve[3];
