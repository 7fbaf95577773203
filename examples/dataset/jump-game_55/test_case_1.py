from sol import *

print(Solution().canJump(nums = [2,3,1,1,4]))
