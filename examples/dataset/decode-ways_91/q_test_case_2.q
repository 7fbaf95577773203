0N!solve["226"];
