/ a numeral smaller than its right neighbour is subtracted
solve:{v:("IVXLCDM"!1 5 10 50 100 500 1000) x; sum v*1-2*v<next v}
