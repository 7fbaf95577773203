0N!solve["bbbbb"];
