from sol import *

print(Solution().productExceptSelf(nums = [1,2,3,4]))
