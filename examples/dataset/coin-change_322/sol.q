/ bottom-up DP over amounts 0..a; float so that 0w marks an unreachable amount
solve:{[c;a] d:{[c;d] i:count[d]-c; d,1+min d i where i>=0}[c]/[a;enlist 0f]; $[0w=r:last d;-1;`long$r]}
