from sol import *

print(Solution().coinChange(coins = [1, 2, 5], amount = 11))
