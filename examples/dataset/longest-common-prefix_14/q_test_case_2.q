0N!solve[("dog";"racecar";"car")];
