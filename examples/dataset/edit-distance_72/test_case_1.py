from sol import *

print(repr(Solution().minDistance(word1 = "horse", word2 = "ros")))
