/**
 * A generated set of steering sentences with known move types, for grading
 * the offline embedding and clustering (test and bench). Each move type has
 * several paraphrase templates that share some of the move's vocabulary but
 * not all of it, and every template draws its object from one vocabulary
 * of 40 shared by all types, so the object words are noise the clustering
 * has to see past. (With only a dozen objects, each object is about as
 * frequent as a move and grouping by object becomes an equally good
 * 8-way partition; real steering text has a long tail of objects.)
 */
import { mulberry32 } from "../../server/src/dataset/random";

export const MOVE_TEMPLATES: readonly (readonly string[])[] = [
  [
    "Let me check the edge case where {x} is empty.",
    "What if {x} is empty? I need to handle that edge case.",
    "Check the edge case of a single element in {x} first.",
    "Edge case: {x} could be null, so guard against it.",
  ],
  [
    "Try a small example with {x} equal to {n}.",
    "Let me test a concrete example: {x} = {n}.",
    "Plug in a small example, {n}, for {x} and see.",
    "A quick example with {n} in {x} should show the pattern.",
  ],
  [
    "This approach is not working; reconsider the strategy for {x}.",
    "Step back and rethink the approach to {x}.",
    "Maybe a different approach to {x} would be simpler.",
    "Reconsider the approach: the current plan for {x} looks wrong.",
  ],
  [
    "Now write the code for {x}.",
    "Write the code of the function that computes {x}.",
    "Time to write code that builds {x}.",
    "Implement {x} in code and write it out.",
  ],
  [
    "Recall the definition of {x}.",
    "What is the definition of {x} again? Recall it.",
    "Remember how {x} is defined before going on; the definition matters.",
    "Recall the formal definition: {x} means something specific.",
  ],
  [
    "Simplify the expression for {x}.",
    "The expression for {x} can be simplified further.",
    "Simplify {x} by cancelling the common terms.",
    "Reduce the expression {x} to a simpler form.",
  ],
  [
    "So the final answer is {n}.",
    "Summarize: the final answer for {x} is {n}.",
    "State the final answer clearly: {n}.",
    "The final answer, {n}, follows from {x}.",
  ],
  [
    "Compare the two options for {x}.",
    "Which option is better for {x}? Compare both.",
    "Weigh the two options against each other for {x}.",
    "Compare option one and option two on {x}.",
  ],
];

const OBJECTS = [
  "the list",
  "the array",
  "the sum",
  "the matrix",
  "the string",
  "the tree",
  "the total",
  "the index",
  "the table",
  "the dictionary",
  "the prime count",
  "the probability",
  "the graph",
  "the queue",
  "the stack",
  "the interval",
  "the polynomial",
  "the derivative",
  "the integral",
  "the remainder",
  "the modulus",
  "the hash map",
  "the binary search",
  "the recursion",
  "the base case",
  "the loop bound",
  "the sorted order",
  "the median",
  "the variance",
  "the triangle",
  "the circle area",
  "the exponent",
  "the logarithm",
  "the fraction",
  "the digits",
  "the substring",
  "the window",
  "the pointer",
  "the offset",
  "the parity",
];

export interface MoveSet {
  texts: string[];
  labels: Int32Array;
}

export function generateMoves(n: number, seed = 3): MoveSet {
  const rand = mulberry32(seed);
  const texts: string[] = [];
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = Math.floor(rand() * MOVE_TEMPLATES.length);
    const forms = MOVE_TEMPLATES[t]!;
    const form = forms[Math.floor(rand() * forms.length)]!;
    texts.push(
      form
        .replace("{x}", OBJECTS[Math.floor(rand() * OBJECTS.length)]!)
        .replace("{n}", String(Math.floor(rand() * 100))),
    );
    labels[i] = t;
  }
  return { texts, labels };
}
