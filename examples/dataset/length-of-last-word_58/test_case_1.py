from sol import *

print(Solution().lengthOfLastWord(s = "Hello World"))
