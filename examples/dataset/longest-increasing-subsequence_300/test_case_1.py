from sol import *

print(repr(Solution().lengthOfLIS(nums = [10,9,2,5,3,7,101,18])))
