from sol import *

print(Solution().firstUniqChar(s = "leetcode"))
