from sol import *

print(repr(Solution().maximumWealth(accounts = [[2,8,7],[7,1,3],[1,9,5]])))
