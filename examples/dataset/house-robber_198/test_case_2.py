from sol import *

print(repr(Solution().rob([2,7,9,3,1])))
