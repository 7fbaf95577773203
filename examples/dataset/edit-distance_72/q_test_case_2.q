0N!solve["intention";"execution"];
