from sol import *

print(Solution().maxArea(height = [1,1]))
