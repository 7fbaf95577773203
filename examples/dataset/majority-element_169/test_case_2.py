from sol import *

print(Solution().majorityElement(nums = [2,2,1,1,1,2,2]))
