from sol import *

print(repr(Solution().rob([1,2,3,1])))
