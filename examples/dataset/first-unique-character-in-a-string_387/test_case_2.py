from sol import *

print(repr(Solution().firstUniqChar(s = "loveleetcode")))
