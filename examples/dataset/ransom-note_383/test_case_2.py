from sol import *

print(repr(Solution().canConstruct(ransomNote = "aa", magazine = "ab")))
