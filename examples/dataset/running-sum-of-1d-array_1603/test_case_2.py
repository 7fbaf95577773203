from sol import *

print(repr(Solution().runningSum(nums = [1,1,1,1,1])))
