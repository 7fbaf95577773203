from sol import *

print(repr(Solution().twoSum(nums = [3,3], target = 6)))
