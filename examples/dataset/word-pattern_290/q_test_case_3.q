0N!solve["aaaa";"dog cat cat dog"];
