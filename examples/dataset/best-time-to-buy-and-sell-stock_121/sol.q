/ best profit = largest gap between a price and the running minimum before it
solve:{max x-mins x}
