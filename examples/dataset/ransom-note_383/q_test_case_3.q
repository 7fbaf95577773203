0N!solve["aa";"aab"];
