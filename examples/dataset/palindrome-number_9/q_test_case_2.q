0N!solve[-121];
