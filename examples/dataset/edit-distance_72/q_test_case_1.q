0N!solve["horse";"ros"];
