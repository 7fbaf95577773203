0N!solve["abba";"dog cat cat fish"];
