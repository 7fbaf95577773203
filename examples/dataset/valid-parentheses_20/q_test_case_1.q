0N!solve["()"];
