from sol import *

print(Solution().uniquePaths(m = 3, n = 2))
