from sol import *

print(repr(Solution().runningSum(nums = [3,1,2,10,1])))
