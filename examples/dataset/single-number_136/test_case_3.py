from sol import *

print(Solution().singleNumber(nums = [1]))
