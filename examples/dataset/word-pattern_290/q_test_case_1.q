0N!solve["abba";"dog cat cat dog"];
