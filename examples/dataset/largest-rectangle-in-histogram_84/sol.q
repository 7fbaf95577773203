/ for each start, running minimum height times width; the best over all starts
solve:{max {max (mins y _ x)*1+til count[x]-y}[x] each til count x}
