from sol import *

print(repr(Solution().maxArea(height = [1,1])))
