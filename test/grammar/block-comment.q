/ SYNTAX TEST "source.q" "a line of just / opens a block comment, a line of just \ closes it"
a:1
/
everything here is comment: x:1 "unclosed
/ <---------- comment.block.q
/                           ^^^ comment.block.q
select from t
/ <------ comment.block.q - keyword.other.qsql.q
\
b:2
/ <- variable.other.assignment.q - comment.block.q
/ ^ constant.numeric.q
/ still a line comment after the block
/ <------- comment.line.q
