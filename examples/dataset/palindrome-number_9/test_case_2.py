from sol import *

print(repr(Solution().isPalindrome(x = -121)))
