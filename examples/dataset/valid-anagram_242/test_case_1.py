from sol import *

print(repr(Solution().isAnagram(s = "anagram", t = "nagaram")))
