from sol import *

print(Solution().missingNumber(nums = [0,1]))
