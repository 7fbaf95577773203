from sol import *

print(repr(Solution().maxSubArray(nums = [1])))
