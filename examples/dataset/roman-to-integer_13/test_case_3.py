from sol import *

print(repr(Solution().romanToInt(s = "MCMXCIV")))
