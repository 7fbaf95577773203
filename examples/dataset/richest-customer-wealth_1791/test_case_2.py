from sol import *

print(Solution().maximumWealth(accounts = [[1,5],[7,3],[3,5]]))
