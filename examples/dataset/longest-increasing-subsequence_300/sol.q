/ patience sorting: tails k is the smallest tail of an increasing run of length k+1
solve:{count {$[(i:x binr y)<count x;@[x;i;:;y];x,y]}/[0#x;x]}
