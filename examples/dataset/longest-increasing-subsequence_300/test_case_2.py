from sol import *

print(repr(Solution().lengthOfLIS(nums = [0,1,0,3,2,3])))
