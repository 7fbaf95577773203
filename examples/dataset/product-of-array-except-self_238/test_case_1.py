from sol import *

print(repr(Solution().productExceptSelf(nums = [1,2,3,4])))
