/** A seeded generator of bytes in [0, 256): tests that use "random" input are repeatable. */
export function seededBytes(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s >>> 24;
  };
}
