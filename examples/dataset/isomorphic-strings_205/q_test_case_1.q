0N!solve["egg";"add"];
