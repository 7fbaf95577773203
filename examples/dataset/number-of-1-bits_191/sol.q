/ count the set bits of the 64-bit representation
solve:{sum 0b vs x}
