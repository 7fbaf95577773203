/ previous occurrence of each character from its group; the window starts after the latest such occurrence
solve:{g:value group x; p:@[count[x]#-1;raze 1_'g;:;raze -1_'g]; max 1+(til count x)-maxs 1+p}
