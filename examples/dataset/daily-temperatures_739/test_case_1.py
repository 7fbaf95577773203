from sol import *

print(repr(Solution().dailyTemperatures(temperatures = [73,74,75,71,69,72,76,73])))
