from sol import *

print(repr(Solution().convert(s = "PAYPALISHIRING", numRows = 4)))
