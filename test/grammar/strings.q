/ SYNTAX TEST "source.q" "strings and escapes"
s:"hello"
/ ^^^^^^^ string.quoted.double.q
/ ^ punctuation.definition.string.begin.q
"line\nbreak"
/    ^^ string.quoted.double.q constant.character.escape.q
"tab\there"
/   ^^ constant.character.escape.q
"cr\r"
/  ^^ constant.character.escape.q
"say \"hi\""
/    ^^ constant.character.escape.q
/        ^^ constant.character.escape.q
"back\\slash"
/    ^^ constant.character.escape.q
"octal \101 byte"
/      ^^^^ constant.character.escape.q
"bad \q escape"
/    ^^ invalid.illegal.escape.q
"bad \9 digit"
/    ^^ invalid.illegal.escape.q
"a","b"
/ <--- string.quoted.double.q
/  ^ keyword.operator.q
/   ^^^ string.quoted.double.q
x:""
/ ^^ string.quoted.double.q
"c"
/ <--- string.quoted.double.q
"ends in backslash\\" / then a comment
/                 ^^ constant.character.escape.q
/                     ^^^^^^ comment.line.q
