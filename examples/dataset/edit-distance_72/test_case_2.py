from sol import *

print(repr(Solution().minDistance(word1 = "intention", word2 = "execution")))
