0N!solve["abcabcbb"];
