0N!solve[enlist 2;3];
