/ SYNTAX TEST "source.q" "$[ is the conditional; a $ before anything else is the cast glyph"
r:$[x>0;1;2]
/ ^ keyword.control.conditional.q
/  ^ punctuation.section.brackets.begin.q
f:{$[x;`yes;`no]}
/  ^ keyword.control.conditional.q
/      ^^^^ constant.other.symbol.q
`int$x
/   ^ keyword.operator.q - keyword.control.conditional.q
$[a;b;c;d;e]
/ <- keyword.control.conditional.q
