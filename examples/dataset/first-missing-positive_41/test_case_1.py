from sol import *

print(repr(Solution().firstMissingPositive(nums = [1,2,0])))
