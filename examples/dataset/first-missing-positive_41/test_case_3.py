from sol import *

print(repr(Solution().firstMissingPositive(nums = [7,8,9,11,12])))
