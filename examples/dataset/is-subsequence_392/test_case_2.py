from sol import *

print(repr(Solution().isSubsequence(s = "axc", t = "ahbgdc")))
