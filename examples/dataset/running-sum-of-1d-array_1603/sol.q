/ running sums
solve:{sums x}
