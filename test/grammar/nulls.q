/ SYNTAX TEST "source.q" "typed nulls and infinities"
0N 0n 0W 0w
/ <-- constant.language.null.q
/  ^^ constant.language.null.q
/     ^^ constant.language.infinity.q
/        ^^ constant.language.infinity.q
0Nj 0Ni 0Nh 0Ne 0Nf
/ <--- constant.language.null.q
/   ^^^ constant.language.null.q
/       ^^^ constant.language.null.q
/           ^^^ constant.language.null.q
/               ^^^ constant.language.null.q
0Nd 0Np 0Nm 0Nz 0Nn
/ <--- constant.language.null.q
/   ^^^ constant.language.null.q
/       ^^^ constant.language.null.q
/           ^^^ constant.language.null.q
/               ^^^ constant.language.null.q
0Nu 0Nv 0Nt 0Ng
/ <--- constant.language.null.q
/   ^^^ constant.language.null.q
/       ^^^ constant.language.null.q
/           ^^^ constant.language.null.q
0Wi 0Wj 0Wh
/ <--- constant.language.infinity.q
/   ^^^ constant.language.infinity.q
/       ^^^ constant.language.infinity.q
x:-0W
/ ^^^ constant.language.infinity.q
1 0N 3
/ ^^ constant.language.null.q
/    ^ constant.numeric.q
