from sol import *

print(Solution().isAnagram(s = "rat", t = "car"))
