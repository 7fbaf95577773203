from sol import *

print(repr(Solution().hIndex(citations = [1,3,1])))
