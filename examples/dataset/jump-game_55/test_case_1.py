from sol import *

print(repr(Solution().canJump(nums = [2,3,1,1,4])))
