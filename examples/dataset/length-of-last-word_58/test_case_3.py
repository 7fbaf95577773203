from sol import *

print(Solution().lengthOfLastWord(s = "luffy is still joyboy"))
