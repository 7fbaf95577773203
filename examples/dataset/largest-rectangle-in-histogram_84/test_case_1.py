from sol import *

print(Solution().largestRectangleArea(heights = [2,1,5,6,2,3]))
