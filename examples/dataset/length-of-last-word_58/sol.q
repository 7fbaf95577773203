/ trim the blanks, split on space, count the last word
solve:{count last " " vs trim x}
