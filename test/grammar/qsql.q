/ SYNTAX TEST "source.q" "qSQL templates"
select from t
/ <------ keyword.other.qsql.q
/      ^^^^ keyword.other.qsql.q
/           ^ variable.other.q
select a,b from t where c>1
/                 ^^^^^ keyword.other.qsql.q
/                        ^ keyword.operator.q
select sum a by b from t
/      ^^^ support.function.q
/            ^^ keyword.other.qsql.q
select[5] from t
/ <------ keyword.other.qsql.q
/     ^ punctuation.section.brackets.begin.q
/      ^ constant.numeric.q
/         ^^^^ keyword.other.qsql.q
select[5;>a] from t
/        ^ keyword.operator.q
/            ^^^^ keyword.other.qsql.q
exec a from t
/ <---- keyword.other.qsql.q
/      ^^^^ keyword.other.qsql.q
update a:1 from t
/ <------ keyword.other.qsql.q
/      ^ variable.other.assignment.q
delete from t where a=1
/ <------ keyword.other.qsql.q
/             ^^^^^ keyword.other.qsql.q
f:{select from x}
/ <- entity.name.function.q
/         ^^^^ meta.function.lambda.q meta.qsql.q keyword.other.qsql.q
select a
  from t
/ ^^^^ keyword.other.qsql.q
select from t
from
/ <---- variable.other.q - keyword.other.qsql.q
(select from t) where
/               ^^^^^ support.function.q - keyword.other.qsql.q
x:select max a from t; where
/        ^^^ support.function.q
/                      ^^^^^ support.function.q - keyword.other.qsql.q
