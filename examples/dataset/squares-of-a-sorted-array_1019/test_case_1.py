from sol import *

print(repr(Solution().sortedSquares(nums = [-4,-1,0,3,10])))
