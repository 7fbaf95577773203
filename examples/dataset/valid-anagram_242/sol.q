/ anagrams have the same sorted characters
solve:{[s;t] (asc s)~asc t}
