from sol import *

print(repr(Solution().largestRectangleArea( heights = [2,4])))
