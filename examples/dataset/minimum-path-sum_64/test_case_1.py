from sol import *

print(repr(Solution().minPathSum(grid = [[1,3,1],[1,5,1],[4,2,1]])))
