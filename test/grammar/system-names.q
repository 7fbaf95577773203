/ SYNTAX TEST "source.q" ".z namespace, system names and system commands such as \d and \t"
t:.z.p
/ ^^^^ support.variable.system.q
-1 string .z.K;
/         ^^^^ support.variable.system.q
d:.z.D+1
/ ^^^^ support.variable.system.q
\d .
/ <-- keyword.other.system-command.q
\t:100 f x
/ <---- keyword.other.system-command.q
x:`a`b
/ ^^^^ constant.other.symbol.q
f/[x]
/^ keyword.operator.iterator.q
g\:[y]
/^^ keyword.operator.iterator.q
