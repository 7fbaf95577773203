from sol import *

print(repr(Solution().singleNumber(nums = [2,2,1])))
