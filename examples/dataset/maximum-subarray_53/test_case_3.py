from sol import *

print(repr(Solution().maxSubArray(nums = [5,4,-1,7,8])))
