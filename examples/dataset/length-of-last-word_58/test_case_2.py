from sol import *

print(repr(Solution().lengthOfLastWord(s = "   fly me   to   the moon  ")))
