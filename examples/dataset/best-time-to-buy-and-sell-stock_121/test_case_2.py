from sol import *

print(repr(Solution().maxProfit(prices = [7,6,4,3,1])))
