from sol import *

print(repr(Solution().merge(intervals = [[1,4],[4,5]])))
