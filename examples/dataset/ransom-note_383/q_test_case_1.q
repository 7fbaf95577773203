0N!solve[enlist "a";enlist "b"];
