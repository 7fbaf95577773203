0N!solve["III"];
