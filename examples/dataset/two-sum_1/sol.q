/ index of each complement (? is the hash lookup); the last index with a valid partner gives the ordered pair
solve:{[n;t] k:last where (i<count n)&(i:n?t-n)<>til count n; i[k],k}
