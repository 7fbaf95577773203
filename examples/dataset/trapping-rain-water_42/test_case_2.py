from sol import *

print(Solution().trap(height = [4,2,0,3,2,5]))
