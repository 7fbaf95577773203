from sol import *

print(repr(Solution().dailyTemperatures(temperatures = [30,40,50,60])))
