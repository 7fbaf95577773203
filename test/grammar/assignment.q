/ SYNTAX TEST "source.q" "assignment targets, brackets and separators"
x:1
/ <- variable.other.assignment.q
/^ keyword.operator.assignment.q
f:{x}
/ <- entity.name.function.q
f : {x}
/ <- entity.name.function.q
x::1
/ <- variable.other.assignment.q
/^^ keyword.operator.assignment.q
t:([]a:1 2)
/ <- variable.other.assignment.q
/ ^ punctuation.section.parens.begin.q
/    ^ variable.other.assignment.q
/         ^ punctuation.section.parens.end.q
a:b:3
/ <- variable.other.assignment.q
/ ^ variable.other.assignment.q
(1;2)
/ ^ punctuation.separator.q
x[0]
/^ punctuation.section.brackets.begin.q
/  ^ punctuation.section.brackets.end.q
x)
/^ invalid.illegal.stray-bracket.q
x+:1
/^ keyword.operator.q
/ ^ keyword.operator.assignment.q
