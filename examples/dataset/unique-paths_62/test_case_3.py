from sol import *

print(repr(Solution().uniquePaths(m = 7, n = 3)))
