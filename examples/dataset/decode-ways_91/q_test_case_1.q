0N!solve["12"];
