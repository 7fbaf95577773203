0N!solve["loveleetcode"];
