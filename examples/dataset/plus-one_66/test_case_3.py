from sol import *

print(Solution().plusOne(digits = [0]))
