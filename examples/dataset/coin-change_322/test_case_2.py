from sol import *

print(Solution().coinChange(coins = [2], amount = 3))
