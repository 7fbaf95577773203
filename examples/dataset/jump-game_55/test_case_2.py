from sol import *

print(repr(Solution().canJump(nums = [3,2,1,0,4])))
