from sol import *

print(Solution().rob([1,2,3,1]))
