/ a palindrome reads the same reversed (a minus sign never matches)
solve:{s~reverse s:string x}
