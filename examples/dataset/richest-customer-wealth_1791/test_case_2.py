from sol import *

print(repr(Solution().maximumWealth(accounts = [[1,5],[7,3],[3,5]])))
