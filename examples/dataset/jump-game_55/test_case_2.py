from sol import *

print(Solution().canJump(nums = [3,2,1,0,4]))
