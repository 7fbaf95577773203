from sol import *

print(Solution().sortedSquares(nums = [-7,-3,2,3,11]))
