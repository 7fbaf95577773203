from sol import *

print(Solution().minDistance(word1 = "horse", word2 = "ros"))
