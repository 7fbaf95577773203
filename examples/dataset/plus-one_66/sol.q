/ trailing 9s become 0 and the digit before them goes up by 1 (or a leading 1 when all are 9)
solve:{n:count x; k:sum mins reverse 9=x; r:@[x;(n-k)+til k;:;0]; $[k=n;1,r;@[r;n-k+1;+;1]]}
