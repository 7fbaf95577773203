from typing import *

from functools import *
from collections import *
from itertools import *
from heapq import *
from bisect import *
from string import *
from operator import *
from math import *
import math
import datetime
inf = float('inf')

class Solution:
    def singleNumber(self, nums: List[int]) -> int:
        return reduce(xor, nums)
