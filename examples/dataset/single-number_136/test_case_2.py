from sol import *

print(repr(Solution().singleNumber(nums = [4,1,2,1,2])))
