from sol import *

print(Solution().maximumWealth(accounts = [[1,2,3],[3,2,1]]))
