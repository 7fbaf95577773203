from sol import *

print(repr(Solution().singleNumber(nums = [1])))
