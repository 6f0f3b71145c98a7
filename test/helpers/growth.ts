/**
 * How much the cost of an operation grows from input size `n` to `4n`, measured in one run:
 * the best of `trials` timings of `repetitions` calls at each size, sizes interleaved so that a
 * slow moment of the shared machine hits both. Linear work gives about 4, quadratic about 16;
 * tests assert a bound with generous slack against noise, never an absolute time.
 *
 * @param make builds the input of size n (not timed).
 * @param run the operation on that input (timed).
 */
export function growthFrom<T>(n: number, make: (size: number) => T, run: (input: T) => unknown, repetitions = 1, trials = 7): number {
  const small = make(n);
  const large = make(4 * n);
  const time = (input: T): number => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < repetitions; i++) run(input);
    return Number(process.hrtime.bigint() - start);
  };
  // Warm up both, several times, so that no timing is the compiler's (one round was not enough:
  // the first trials then measured 8 for linear work).
  for (let round = 0; round < 3; round++) {
    time(small);
    time(large);
  }
  let bestSmall = Infinity;
  let bestLarge = Infinity;
  for (let trial = 0; trial < trials; trial++) {
    bestSmall = Math.min(bestSmall, time(small));
    bestLarge = Math.min(bestLarge, time(large));
  }
  return bestLarge / Math.max(bestSmall, 1);
}
