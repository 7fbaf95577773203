from sol import *

print(Solution().rob([2,7,9,3,1]))
