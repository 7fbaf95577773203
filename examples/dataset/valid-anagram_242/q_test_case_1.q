0N!solve["anagram";"nagaram"];
