/ SYNTAX TEST "source.q" "system commands at the start of a line"
\l sp.q
/ <-- keyword.other.system-command.q
/  ^^^^ string.unquoted.system-command.q
\d .foo
/ <-- keyword.other.system-command.q
/  ^^^^ string.unquoted.system-command.q
\c 25 80
/ <-- keyword.other.system-command.q
\P 10
/ <-- keyword.other.system-command.q
\t sum til 100
/ <-- keyword.other.system-command.q
/  ^^^ support.function.q
/          ^^^ constant.numeric.q
\ts:10 f 1
/ <------ keyword.other.system-command.q
/        ^ constant.numeric.q
\e 1
/ <-- keyword.other.system-command.q
\\
/ <-- keyword.other.system-command.q
x\y
/^ keyword.operator.iterator.q - keyword.other.system-command.q
