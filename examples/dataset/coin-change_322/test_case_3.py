from sol import *

print(repr(Solution().coinChange(coins = [1], amount = 0)))
