/ Kadane: best sum ending here = item + max(best sum ending just before;0)
solve:{max {y+0|x}\[x]}
