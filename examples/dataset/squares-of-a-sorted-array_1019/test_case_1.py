from sol import *

print(Solution().sortedSquares(nums = [-4,-1,0,3,10]))
