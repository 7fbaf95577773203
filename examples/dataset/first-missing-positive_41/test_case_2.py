from sol import *

print(repr(Solution().firstMissingPositive(nums = [3,4,-1,1])))
