/ water above each bar: the lower of the highest walls to its left and right, less the bar
solve:{sum ((maxs x)&reverse maxs reverse x)-x}
