from sol import *

print(Solution().wordPattern(pattern = "abba", s = "dog cat cat dog"))
