0N!solve[3 2 4;6];
