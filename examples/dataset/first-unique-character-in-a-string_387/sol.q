/ count per character, looked up for each position; the first position counted once (else -1)
solve:{-1^first where 1=(count each group x) x}
