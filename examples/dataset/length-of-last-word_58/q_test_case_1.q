0N!solve["Hello World"];
