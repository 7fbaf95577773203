from sol import *

print(repr(Solution().maxSubArray(nums = [-2,1,-3,4,-1,2,1,-5,4])))
