from sol import *

print(repr(Solution().sortedSquares(nums = [-7,-3,2,3,11])))
