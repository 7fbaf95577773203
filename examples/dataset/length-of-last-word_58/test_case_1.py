from sol import *

print(repr(Solution().lengthOfLastWord(s = "Hello World")))
