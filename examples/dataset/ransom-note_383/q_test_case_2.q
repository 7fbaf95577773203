0N!solve["aa";"ab"];
