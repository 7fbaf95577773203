from sol import *

print(repr(Solution().largestRectangleArea(heights = [2,1,5,6,2,3])))
