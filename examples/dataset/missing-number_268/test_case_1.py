from sol import *

print(repr(Solution().missingNumber(nums = [3,0,1])))
