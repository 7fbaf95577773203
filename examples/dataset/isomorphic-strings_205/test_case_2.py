from sol import *

print(Solution().isIsomorphic(s = "foo", t = "bar"))
