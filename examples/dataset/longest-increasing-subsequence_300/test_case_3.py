from sol import *

print(Solution().lengthOfLIS(nums = [7,7,7,7,7,7,7]))
