/ SYNTAX TEST "source.q" "operator glyphs"
x+y-z
/^ keyword.operator.q
/  ^ keyword.operator.q
x*y%z
/^ keyword.operator.q
/  ^ keyword.operator.q
x&y|z
/^ keyword.operator.q
/  ^ keyword.operator.q
x^y=z
/^ keyword.operator.q
/  ^ keyword.operator.q
x<y>z
/^ keyword.operator.q
/  ^ keyword.operator.q
x<=y
/^^ keyword.operator.q
x>=y
/^^ keyword.operator.q
x<>y
/^^ keyword.operator.q
x~y
/^ keyword.operator.q
!5
/ <- keyword.operator.q
2#x
/^ keyword.operator.q
2_x
/^ keyword.operator.q
x,y
/^ keyword.operator.q
?[x;y;z]
/ <- keyword.operator.q
"j"$x
/  ^ keyword.operator.q
@[f;x]
/ <- keyword.operator.q
f . (1;2)
/ ^ keyword.operator.q
(::)
/^^ keyword.operator.q
x[1]:2
/   ^ keyword.operator.assignment.q
