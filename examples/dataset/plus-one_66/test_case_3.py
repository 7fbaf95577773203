from sol import *

print(repr(Solution().plusOne(digits = [0])))
