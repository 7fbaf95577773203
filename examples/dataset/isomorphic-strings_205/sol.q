/ two strings are isomorphic when their first-occurrence index patterns agree
solve:{[s;t] (s?s)~t?t}
