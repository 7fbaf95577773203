0N!solve[11];
