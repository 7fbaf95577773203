0N!solve[3 3;6];
