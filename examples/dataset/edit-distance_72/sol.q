/ Levenshtein DP row by row; the dependency on the left neighbour within a row is a scan
solve:{[a;b] last {[b;r;c] {y&x+1}\[(1+first r),(1+1_r)&(-1_r)+c<>b]}[b]/[til 1+count b;a]}
