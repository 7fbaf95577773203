from sol import *

print(repr(Solution().missingNumber(nums = [0])))
