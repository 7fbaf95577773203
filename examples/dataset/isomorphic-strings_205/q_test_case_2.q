0N!solve["foo";"bar"];
