/ greedy match: walk t, advancing the index into s on each matching character
solve:{[s;t] (count s)={[s;i;c] i+(i<count s)&c=s i}[s]/[0;t]}
