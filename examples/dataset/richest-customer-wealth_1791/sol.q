/ the largest row sum
solve:{max sum each x}
