from sol import *

print(repr(Solution().maximumWealth(accounts = [[1,2,3],[3,2,1]])))
