from sol import *

print(repr(Solution().maxProfit([7,1,5,3,6,4])))
