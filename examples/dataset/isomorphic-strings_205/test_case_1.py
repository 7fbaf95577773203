from sol import *

print(Solution().isIsomorphic(s = "egg", t = "add"))
