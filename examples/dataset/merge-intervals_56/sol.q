/ sort by start; a new interval begins where its start passes every end seen so far
solve:{x:x iasc x[;0]; {(x[0;0];max x[;1])} each (where 1b,(1_x[;0])>-1_maxs x[;1]) cut x}
