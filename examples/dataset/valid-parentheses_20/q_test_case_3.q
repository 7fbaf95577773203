0N!solve["(]"];
