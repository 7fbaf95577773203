from sol import *

print(repr(Solution().isIsomorphic(s = "egg", t = "add")))
