from sol import *

print(repr(Solution().largestNumber(nums = [3,30,34,5,9])))
