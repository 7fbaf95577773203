from sol import *

print(Solution().isPalindrome(x = 10))
