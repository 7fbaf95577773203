from sol import *

print(repr(Solution().spiralOrder(matrix = [[1,2,3],[4,5,6],[7,8,9]])))
