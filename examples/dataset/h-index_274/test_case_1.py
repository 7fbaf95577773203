from sol import *

print(repr(Solution().hIndex(citations = [3,0,6,1,5])))
