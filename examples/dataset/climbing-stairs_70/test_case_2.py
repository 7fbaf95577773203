from sol import *

print(Solution().climbStairs(n = 3))
