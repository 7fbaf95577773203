/ two stable sorts: by value, then by position in b (values absent from b get count b, so they go last)
solve:{[a;b] s:a iasc a; s iasc b?s}
