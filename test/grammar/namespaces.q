/ SYNTAX TEST "source.q" "system and user namespaces"
.z.p
/ <---- support.variable.system.q
x:.z.P
/ ^^^^ support.variable.system.q
.Q.fmt[6;2] x
/ <------ support.function.system.q
.h.xs x
/ <----- support.function.system.q
.j.j x
/ <---- support.function.system.q
.foo.bar
/ <-------- variable.other.namespaced.q
.foo.bar:{x}
/ <-------- entity.name.function.q
.z.ts:{x}
/ <----- entity.name.function.q
t.col
/ <----- variable.other.q
.Q.s1 x
/ <----- support.function.system.q
.m.x:1
/ <---- variable.other.assignment.q
.fo x
/ <--- variable.other.namespaced.q - support.function.system.q
