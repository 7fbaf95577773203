from sol import *

print(repr(Solution().convert(s = "A", numRows = 1)))
