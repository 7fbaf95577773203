from sol import *

print(repr(Solution().numDecodings(s = "226")))
