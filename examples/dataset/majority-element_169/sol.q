/ the value with the highest count
solve:{k?max k:count each group x}
