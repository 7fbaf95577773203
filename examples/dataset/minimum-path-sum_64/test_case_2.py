from sol import *

print(repr(Solution().minPathSum(grid = [[1,2,3],[4,5,6]])))
