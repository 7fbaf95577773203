from sol import *

print(Solution().twoSum(nums = [3,2,4], target = 6))
