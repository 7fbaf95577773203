from sol import *

print(repr(Solution().majorityElement(nums = [3,2,3])))
