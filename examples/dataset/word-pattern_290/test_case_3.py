from sol import *

print(Solution().wordPattern(pattern = "aaaa", s = "dog cat cat dog"))
