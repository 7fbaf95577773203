/ DP over prefixes: fold (ways i-2;ways i-1) with a one-digit and a two-digit validity flag per position
solve:{d:.Q.n?x; t:(10*-1_d)+1_d; last {(x 1;(y*x 1)+z*x 0)}/[0 1;x<>"0";0b,(t>9)&t<27]}
