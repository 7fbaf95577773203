from sol import *

print(Solution().productExceptSelf(nums = [-1,1,0,-3,3]))
