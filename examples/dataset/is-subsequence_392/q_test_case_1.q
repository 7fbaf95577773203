0N!solve["abc";"ahbgdc"];
