/ the answer lies in 1..n+1: the first of those not present
solve:{first (1+til 1+count x) except x}
