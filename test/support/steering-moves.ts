/**
 * A generated set of steering sentences with known move types, for grading
 * the offline embedding and clustering (test and bench). Each move type has
 * several paraphrase templates that share some of the move's vocabulary but
 * not all of it, and every template draws its objects from one vocabulary
 * shared by all types, so the object words are noise the clustering has to
 * see past.
 */
import { seededRandom } from "../../server/src/traces/model";

export const MOVE_TEMPLATES: readonly (readonly string[])[] = [
  [
    "Let me check the edge case where {x} is empty.",
    "What if {x} is empty? I need to handle that edge case.",
    "Check the corner case of a single {x} first.",
    "Edge case: {x} could be null, so guard against it.",
  ],
  [
    "Try a small example with {x} equal to {n}.",
    "Let me test a concrete example: {x} = {n}.",
    "Plug in a small example, {n}, for {x} and see.",
    "A quick example with {n} {x} should show the pattern.",
  ],
  [
    "This approach is not working; reconsider the strategy for {x}.",
    "Step back and rethink the approach to {x}.",
    "Maybe a different approach to {x} would be simpler; reconsider.",
    "Reconsider: the current strategy for {x} looks wrong.",
  ],
  [
    "Now write the code for {x}.",
    "Write the function that computes {x}.",
    "Time to implement the code that builds {x}.",
    "Implement {x} as a function and write it out.",
  ],
  [
    "Recall the definition of {x}.",
    "What is the definition of {x} again? Recall it.",
    "Remember how {x} is defined before going on.",
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
];

export interface MoveSet {
  texts: string[];
  labels: Int32Array;
}

export function generateMoves(n: number, seed = 3): MoveSet {
  const rand = seededRandom(seed);
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
