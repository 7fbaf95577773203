/ Fibonacci: ways(n) = ways(n-1) + ways(n-2), stepping the pair (ways k;ways k+1) n times
solve:{first x{(last x;sum x)}/1 1}
