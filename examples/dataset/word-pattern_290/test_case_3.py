from sol import *

print(repr(Solution().wordPattern(pattern = "aaaa", s = "dog cat cat dog")))
