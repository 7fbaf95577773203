from sol import *

print(Solution().dailyTemperatures(temperatures = [30,40,50,60]))
