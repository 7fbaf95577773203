/ columns of the strings cut to the shortest; keep the leading run of columns where all agree
solve:{c:flip (min count each x)#'x; (sum mins {1=count distinct x} each c)#first x}
