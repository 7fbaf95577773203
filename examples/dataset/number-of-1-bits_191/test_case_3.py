from sol import *

print(Solution().hammingWeight(n = 2147483645))
