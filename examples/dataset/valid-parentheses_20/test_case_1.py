from sol import *

print(repr(Solution().isValid(s = "()")))
