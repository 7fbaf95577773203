from sol import *

print(repr(Solution().isIsomorphic(s = "foo", t = "bar")))
