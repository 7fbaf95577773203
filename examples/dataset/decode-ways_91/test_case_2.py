from sol import *

print(Solution().numDecodings(s = "226"))
