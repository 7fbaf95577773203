0N!solve["06"];
