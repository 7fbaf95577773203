0N!solve[(1 4;4 5)];
