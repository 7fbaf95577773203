/ SYNTAX TEST "source.q" "lambdas and parameter lists"
{[a;b] a+b}
/ <- punctuation.section.braces.begin.q
/^ punctuation.section.parameters.begin.q
/ ^ variable.parameter.q
/  ^ punctuation.separator.parameters.q
/   ^ variable.parameter.q
/    ^ punctuation.section.parameters.end.q
/         ^ punctuation.section.braces.end.q
{[a;b] a+b}
/      ^ meta.function.lambda.q variable.other.q
{x+y}
/^ meta.function.lambda.q variable.other.q
/ ^ meta.function.lambda.q keyword.operator.q
{[x] x}[1]
/ ^ variable.parameter.q
/      ^ punctuation.section.brackets.begin.q
{[a] {[b] a+b}}
/      ^ meta.function.lambda.q meta.function.lambda.q variable.parameter.q
f:{[a]
/ <- entity.name.function.q
/   ^ variable.parameter.q
  a+1
/ ^ meta.function.lambda.q variable.other.q
  }
/ ^ punctuation.section.braces.end.q
g:{[]42}
/  ^ punctuation.section.parameters.begin.q
/    ^^ meta.function.lambda.q constant.numeric.q
{x}[[1]]
/   ^ punctuation.section.brackets.begin.q
