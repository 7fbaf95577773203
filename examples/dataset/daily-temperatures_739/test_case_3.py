from sol import *

print(repr(Solution().dailyTemperatures(temperatures = [30,60,90])))
