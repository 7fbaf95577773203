/ each row of path counts is the running sum of the row above
solve:{[m;n] last (m-1) sums/n#1}
