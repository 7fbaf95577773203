from sol import *

print(Solution().uniquePaths(m = 7, n = 3))
