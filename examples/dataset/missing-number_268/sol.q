/ sum of 0..n minus the sum present
solve:{(sum til 1+count x)-sum x}
