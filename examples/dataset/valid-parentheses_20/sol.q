/ stack fold: a closer pops its matching opener, otherwise # marks the stack as broken for good
solve:{m:")]}"!"([{"; ""~{[m;s;c] $[c in key m;$[(last s)=m c;-1_s;s,"#"];s,c]}[m]/["";x]}
