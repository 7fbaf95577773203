from sol import *

print(repr(Solution().runningSum(nums = [1,2,3,4])))
