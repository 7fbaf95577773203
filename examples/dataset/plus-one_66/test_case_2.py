from sol import *

print(Solution().plusOne(digits = [4,3,2,1]))
