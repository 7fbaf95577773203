from sol import *

print(Solution().maxProfit([7,1,5,3,6,4]))
