from sol import *

print(Solution().hammingWeight(n = 11))
