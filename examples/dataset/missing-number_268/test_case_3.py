from sol import *

print(repr(Solution().missingNumber(nums = [9,6,4,2,3,5,7,0,1])))
