from sol import *

print(repr(Solution().lengthOfLIS(nums = [7,7,7,7,7,7,7])))
