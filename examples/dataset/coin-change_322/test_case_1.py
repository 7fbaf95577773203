from sol import *

print(repr(Solution().coinChange(coins = [1, 2, 5], amount = 11)))
