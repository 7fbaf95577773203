from sol import *

print(Solution().singleNumber(nums = [4,1,2,1,2]))
