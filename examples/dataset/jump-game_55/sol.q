/ every index must be within the furthest reach of the indices before it
solve:{i:til count x; all i<=0^prev maxs x+i}
