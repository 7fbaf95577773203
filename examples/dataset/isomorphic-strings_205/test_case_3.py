from sol import *

print(Solution().isIsomorphic(s = "paper", t = "title"))
