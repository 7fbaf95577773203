from sol import *

print(repr(Solution().lengthOfLongestSubstring(s = "bbbbb")))
