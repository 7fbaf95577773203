from sol import *

print(Solution().firstMissingPositive(nums = [1,2,0]))
