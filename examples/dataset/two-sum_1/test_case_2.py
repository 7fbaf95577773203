from sol import *

print(repr(Solution().twoSum(nums = [3,2,4], target = 6)))
