from sol import *

print(repr(Solution().largestNumber(nums = [10,2])))
