from sol import *

print(Solution().minDistance(word1 = "intention", word2 = "execution"))
