/ SYNTAX TEST "source.q" "line and trailing comments versus iterators"
/ a whole-line comment
/ <---------------------- comment.line.q
x:1 / trailing comment
/ ^ constant.numeric.q
/   ^^^^^^^^^^^^^^^^^^ comment.line.q
x:1	/ a tab also starts a comment
/   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.q
s:+/ 1 2 3
/  ^ keyword.operator.iterator.q - comment.line.q
/    ^ constant.numeric.q
s:(+/) 1 2 3 / sum
/   ^ keyword.operator.iterator.q
/            ^^^^^ comment.line.q
f each x / apply f to each
/ ^^^^ support.function.q
/        ^^^^^^^^^^^^^^^^^ comment.line.q
/ comment with "quote and `sym
/ <------------------------------ comment.line.q
"a / b"
/  ^ string.quoted.double.q - comment.line.q
{x+y} / trailing after lambda
/     ^^^^^^^^^^^^^^^^^^^^^^^ comment.line.q
/   ^ punctuation.section.braces.end.q
  / indented comment line
/ ^^^^^^^^^^^^^^^^^^^^^^^ comment.line.q
a /: b
/ ^^^^ comment.line.q - keyword.operator.iterator.q
