0N!solve[7 7 7 7 7 7 7];
