from sol import *

print(repr(Solution().longestCommonPrefix(strs = ["flower","flow","flight"])))
