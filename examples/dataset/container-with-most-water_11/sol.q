/ every pair (i;j): water = (h i)&(h j) times the distance between them
solve:{max raze (x&\:x)*abs i-\:i:til count x}
