0N!solve[128];
