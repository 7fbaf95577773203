from sol import *

print(repr(Solution().trap(height = [0,1,0,2,1,0,1,3,2,1,2,1])))
