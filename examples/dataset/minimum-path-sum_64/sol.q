/ row by row: each cell adds the cheaper of the cell above and the cell to its left (a scan)
solve:{last {{z+x&y}\[0W;x;y]}/[sums first x;1_x]}
