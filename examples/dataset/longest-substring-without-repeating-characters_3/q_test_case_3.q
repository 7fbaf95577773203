0N!solve["pwwkew"];
