from sol import *

print(repr(Solution().hammingWeight(n = 2147483645)))
