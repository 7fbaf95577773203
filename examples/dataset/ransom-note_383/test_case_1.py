from sol import *

print(repr(Solution().canConstruct(ransomNote = "a", magazine = "b")))
