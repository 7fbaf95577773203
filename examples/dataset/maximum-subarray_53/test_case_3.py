from sol import *

print(Solution().maxSubArray(nums = [5,4,-1,7,8]))
