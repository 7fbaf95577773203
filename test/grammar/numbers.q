/ SYNTAX TEST "source.q" "numbers with type suffixes, bytes, booleans, vectors, signs"
42
/ <-- constant.numeric.q
x:42i
/ ^^^ constant.numeric.q
42j 42h 3e 3f
/ <--- constant.numeric.q
/   ^^^ constant.numeric.q
/       ^^ constant.numeric.q
/          ^^ constant.numeric.q
3.14
/ <---- constant.numeric.q
1e10 2.5e-3 1E5
/ <---- constant.numeric.q
/    ^^^^^^ constant.numeric.q
/           ^^^ constant.numeric.q
.5 5.
/ <-- constant.numeric.q
/  ^^ constant.numeric.q
0x0f1e 0x
/ <------ constant.numeric.byte.q
/      ^^ constant.numeric.byte.q
0101b 1b
/ <----- constant.numeric.boolean.q
/     ^^ constant.numeric.boolean.q
1 2 3
/ <- constant.numeric.q
/ ^ constant.numeric.q
/   ^ constant.numeric.q
x -1
/ ^^ constant.numeric.q
x-1
/^ keyword.operator.q - constant.numeric.q
/ ^ constant.numeric.q
f[0]-1
/   ^ keyword.operator.q
a:-2.5
/ ^^^^ constant.numeric.q
2024.01
/ <------- constant.numeric.q
a1:2
/ <-- variable.other.assignment.q - constant.numeric.q
`:f 0: ("a";"b")
/   ^^ keyword.operator.q - constant.numeric.q
1 2 3p 4m
/   ^^ constant.numeric.q
/      ^^ constant.numeric.q
5n 5u 5v 5t 5d 5z
/ <-- constant.numeric.q
/  ^^ constant.numeric.q
/     ^^ constant.numeric.q
/        ^^ constant.numeric.q
/           ^^ constant.numeric.q
/              ^^ constant.numeric.q
