from sol import *

print(repr(Solution().productExceptSelf(nums = [-1,1,0,-3,3])))
