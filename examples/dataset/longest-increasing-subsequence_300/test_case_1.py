from sol import *

print(Solution().lengthOfLIS(nums = [10,9,2,5,3,7,101,18]))
