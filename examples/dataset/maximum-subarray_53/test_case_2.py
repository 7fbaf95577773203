from sol import *

print(Solution().maxSubArray(nums = [1]))
