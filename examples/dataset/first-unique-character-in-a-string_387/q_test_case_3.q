0N!solve["aabb"];
