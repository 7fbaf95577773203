from sol import *

print(Solution().majorityElement(nums = [3,2,3]))
