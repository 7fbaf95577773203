from sol import *

print(Solution().firstMissingPositive(nums = [7,8,9,11,12]))
