from sol import *

print(Solution().maxProfit(prices = [7,6,4,3,1]))
