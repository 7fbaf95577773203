0N!solve[enlist "A";1];
