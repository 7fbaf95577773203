from sol import *

print(repr(Solution().wordPattern(pattern = "abba", s = "dog cat cat dog")))
