0N!solve[enlist 0];
