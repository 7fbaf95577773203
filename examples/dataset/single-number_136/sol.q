/ xor of all numbers, bit by bit: <> over the 64-bit boolean forms
solve:{0b sv (<>/)0b vs'x}
