from sol import *

print(Solution().twoSum(nums = [3,3], target = 6))
