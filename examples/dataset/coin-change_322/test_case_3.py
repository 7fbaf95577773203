from sol import *

print(Solution().coinChange(coins = [1], amount = 0))
