0N!solve[7;3];
