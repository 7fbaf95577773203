from sol import *

print(Solution().lengthOfLastWord(s = "   fly me   to   the moon  "))
