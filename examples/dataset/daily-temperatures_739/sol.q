/ for each day, the distance to the first later day that is warmer (0 when none)
solve:{{[t;i] 0^first 1+where t[i]<(1+i)_t}[x] each til count x}
