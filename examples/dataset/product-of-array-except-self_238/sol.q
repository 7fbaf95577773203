/ product of everything before times product of everything after
solve:{(1^prev prds x)*1^next reverse prds reverse x}
