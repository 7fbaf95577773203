0N!solve["paper";"title"];
