from sol import *

print(repr(Solution().romanToInt(s = "LVIII")))
