from sol import *

print(repr(Solution().plusOne(digits = [1,2,3])))
