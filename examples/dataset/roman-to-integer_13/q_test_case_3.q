0N!solve["MCMXCIV"];
