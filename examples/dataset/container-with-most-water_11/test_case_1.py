from sol import *

print(repr(Solution().maxArea([1,8,6,2,5,4,8,3,7])))
