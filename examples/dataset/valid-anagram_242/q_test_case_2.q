0N!solve["rat";"car"];
