from sol import *

print(Solution().fizzBuzz(n = 3))
