from sol import *

print(repr(Solution().twoSum(nums = [2,7,11,15], target = 9)))
