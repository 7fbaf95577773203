/ SYNTAX TEST "source.q" "control words and keywords"
if[x;y]
/ <-- keyword.control.q
do[3;x+:1]
/ <-- keyword.control.q
/     ^ keyword.operator.q
while[x<3;x+:1]
/ <----- keyword.control.q
count til 10
/ <----- support.function.q
/     ^^^ support.function.q
/         ^^ constant.numeric.q
h:hopen 5001
/ ^^^^^ support.function.q
read0 `:f.txt
/ <----- support.function.q
5 xbar x
/ ^^^^ support.function.q
aj0 ajf0 wj1 ej
/ <--- support.function.q
/   ^^^^ support.function.q
/        ^^^ support.function.q
/            ^^ support.function.q
counter
/ <------- variable.other.q - support.function.q
where 0101b
/ <----- support.function.q - keyword.other.qsql.q
from
/ <---- variable.other.q - keyword.other.qsql.q
x mod 3
/ ^^^ support.function.q
md5 "abc"
/ <--- support.function.q
neg abs signum x
/ <--- support.function.q
/   ^^^ support.function.q
/       ^^^^^^ support.function.q
x:sums deltas y
/ ^^^^ support.function.q
/      ^^^^^^ support.function.q
ifx
/ <--- variable.other.q - keyword.control.q
