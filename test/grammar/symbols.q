/ SYNTAX TEST "source.q" "symbols and symbol lists"
`a
/ <-- constant.other.symbol.q
`a.b
/ <---- constant.other.symbol.q
x:`:path/x
/ ^^^^^^^^ constant.other.symbol.q
`a`b`c
/ <-- constant.other.symbol.q
/ ^^ constant.other.symbol.q
/   ^^ constant.other.symbol.q
x:`
/ ^ constant.other.symbol.q
h:hopen `:localhost:5000
/       ^^^^^^^^^^^^^^^^ constant.other.symbol.q
/ ^^^^^ support.function.q
`$"abc"
/ <- constant.other.symbol.q
/^ keyword.operator.q
/ ^^^^^ string.quoted.double.q
`sym1`x_y
/ <----- constant.other.symbol.q
/    ^^^^ constant.other.symbol.q
`a /comment
/ <-- constant.other.symbol.q
/  ^^^^^^^^ comment.line.q
