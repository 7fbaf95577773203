from sol import *

print(Solution().runningSum(nums = [1,2,3,4]))
