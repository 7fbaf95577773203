from sol import *

print(repr(Solution().fizzBuzz(n = 5)))
