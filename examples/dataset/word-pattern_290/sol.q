/ a bijection exists when letters and words (as symbols) have the same first-occurrence pattern
solve:{[p;s] (p?p)~w?w:`$" " vs s}
