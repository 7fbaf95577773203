from sol import *

print(Solution().runningSum(nums = [1,1,1,1,1]))
