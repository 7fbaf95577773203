from sol import *

print(repr(Solution().uniquePaths(m = 3, n = 2)))
