0N!solve["LVIII"];
