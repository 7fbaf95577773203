from sol import *

print(Solution().largestRectangleArea( heights = [2,4]))
