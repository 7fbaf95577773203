from sol import *

print(repr(Solution().plusOne(digits = [4,3,2,1])))
