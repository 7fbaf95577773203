/ every letter of the note must occur at least as often in the magazine
solve:{[r;m] c:count each group r; all c<=0^(count each group m) key c}
