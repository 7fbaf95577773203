from sol import *

print(repr(Solution().majorityElement(nums = [2,2,1,1,1,2,2])))
