from sol import *

print(repr(Solution().hammingWeight(n = 128)))
