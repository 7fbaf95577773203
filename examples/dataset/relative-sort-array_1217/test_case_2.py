from sol import *

print(repr(Solution().relativeSortArray(arr1 = [28,6,22,8,44,17], arr2 = [22,28,8,6])))
