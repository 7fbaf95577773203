/ fold the pair (best up to the house before last;best so far) over the houses
solve:{last {(x 1;x[1]|x[0]+y)}/[0 0;x]}
