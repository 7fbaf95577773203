0N!solve["axc";"ahbgdc"];
