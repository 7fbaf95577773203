/ SYNTAX TEST "source.q" "iterators are glyphs written right after their operand"
f'[x;y]
/^ keyword.operator.iterator.q
-':[x]
/^^ keyword.operator.iterator.q
x,/:y
/ ^^ keyword.operator.iterator.q
x,\:y
/ ^^ keyword.operator.iterator.q
+/[x]
/^ keyword.operator.iterator.q - comment.line.q
+\[x]
/^ keyword.operator.iterator.q
{x*2}/[3;1]
/    ^ keyword.operator.iterator.q
x ,/: y
/  ^^ keyword.operator.iterator.q - comment.line.q
count each'x
/         ^ keyword.operator.iterator.q
