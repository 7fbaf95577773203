/ SYNTAX TEST "source.q" "a line of just \ at top level ends the script"
x:1
/ <- variable.other.assignment.q
select from t
/      ^^^^ keyword.other.qsql.q
\
y:2 after the end everything is comment
/ <--- comment.block.eof.q
/                 ^^^^^^^^^^ comment.block.eof.q
\l not.a.command
/ <-- comment.block.eof.q - keyword.other.system-command.q
