from sol import *

print(Solution().isSubsequence(s = "abc", t = "ahbgdc"))
