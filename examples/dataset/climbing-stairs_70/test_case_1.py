from sol import *

print(repr(Solution().climbStairs(n = 2)))
