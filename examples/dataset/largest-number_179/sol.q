/ a goes before b when a,b > b,a: the same order as comparing the digit strings repeated cyclically,
/ and 2*longest characters of that repetition decide it; a leading 0 means every number was 0
solve:{s:string x; r:raze s idesc (2*max count each s)#'s; $["0"=first r;enlist "0";r]}
