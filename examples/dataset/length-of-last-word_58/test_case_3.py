from sol import *

print(repr(Solution().lengthOfLastWord(s = "luffy is still joyboy")))
