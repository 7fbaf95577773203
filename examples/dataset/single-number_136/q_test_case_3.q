0N!solve[enlist 1];
