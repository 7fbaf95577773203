/ code 0..3 per number from divisibility by 3 and 5, mapped to the words; code 0 keeps the number itself
solve:{i:1+til x; {$[count y;y;string x]}'[i;("";"Fizz";"Buzz";"FizzBuzz") (0=i mod 3)+2*0=i mod 5]}
