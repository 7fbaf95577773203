from sol import *

print(repr(Solution().coinChange(coins = [2], amount = 3)))
