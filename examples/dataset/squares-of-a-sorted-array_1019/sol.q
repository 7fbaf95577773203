/ square, then sort (indexing by iasc avoids the sorted attribute that asc would show)
solve:{s iasc s:x*x}
