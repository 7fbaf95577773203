from sol import *

print(Solution().isAnagram(s = "anagram", t = "nagaram"))
