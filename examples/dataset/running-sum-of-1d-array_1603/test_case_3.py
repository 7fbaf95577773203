from sol import *

print(Solution().runningSum(nums = [3,1,2,10,1]))
