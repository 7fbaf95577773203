from sol import *

print(repr(Solution().merge(intervals = [[1,3],[2,6],[8,10],[15,18]])))
