/ SYNTAX TEST "source.q" "temporal literals"
2024.01.15
/ <---------- constant.numeric.date.q
2024.01m
/ <-------- constant.numeric.month.q
2024.01.15D12:00:00.000000000
/ <----------------------------- constant.numeric.timestamp.q
2024.01.15T12:00:00.000
/ <----------------------- constant.numeric.datetime.q
12:30
/ <----- constant.numeric.time.q
12:30:15
/ <-------- constant.numeric.time.q
12:30:15.123
/ <------------ constant.numeric.time.q
0D12:00:00
/ <---------- constant.numeric.timespan.q
2024.01.15 2024.02.01
/ <---------- constant.numeric.date.q
/          ^^^^^^^^^^ constant.numeric.date.q
x:12:30
/ <- variable.other.assignment.q
/ ^^^^^ constant.numeric.time.q
2024.01.15D
/ <----------- constant.numeric.timestamp.q
d:2024.01.15+til 3
/ ^^^^^^^^^^ constant.numeric.date.q
/            ^^^ support.function.q
