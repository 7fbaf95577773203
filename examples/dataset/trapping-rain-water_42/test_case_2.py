from sol import *

print(repr(Solution().trap(height = [4,2,0,3,2,5])))
