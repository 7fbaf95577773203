from sol import *

print(repr(Solution().isSubsequence(s = "abc", t = "ahbgdc")))
