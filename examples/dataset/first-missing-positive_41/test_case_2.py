from sol import *

print(Solution().firstMissingPositive(nums = [3,4,-1,1]))
