from sol import *

print(Solution().isSubsequence(s = "axc", t = "ahbgdc"))
