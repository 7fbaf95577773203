from sol import *

print(Solution().romanToInt(s = "MCMXCIV"))
