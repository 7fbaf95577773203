0N!solve[enlist 1;0];
