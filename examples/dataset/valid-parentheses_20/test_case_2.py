from sol import *

print(Solution().isValid(s = "()[]{}"))
