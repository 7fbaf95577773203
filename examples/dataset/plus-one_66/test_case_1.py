from sol import *

print(Solution().plusOne(digits = [1,2,3]))
