from sol import *

print(Solution().missingNumber(nums = [3,0,1]))
