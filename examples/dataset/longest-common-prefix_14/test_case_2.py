from sol import *

print(repr(Solution().longestCommonPrefix(strs = ["dog","racecar","car"])))
