from sol import *

print(repr(Solution().isAnagram(s = "rat", t = "car")))
