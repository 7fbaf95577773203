from sol import *

print(Solution().singleNumber(nums = [2,2,1]))
