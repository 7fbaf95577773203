from sol import *

print(Solution().dailyTemperatures(temperatures = [30,60,90]))
