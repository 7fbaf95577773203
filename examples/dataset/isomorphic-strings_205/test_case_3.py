from sol import *

print(repr(Solution().isIsomorphic(s = "paper", t = "title")))
