/ peel the first row, turn the rest a quarter anticlockwise, repeat on it
solve:{first[x],$[1<count x;solve reverse flip 1_x;()]}
