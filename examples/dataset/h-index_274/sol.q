/ sorted descending, h is how many papers have at least as many citations as their rank
solve:{sum (desc x)>=1+til count x}
