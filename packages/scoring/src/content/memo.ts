/**
 * `fn` with its results kept for the words seen most recently: topic and profanity look-ups
 * run per word of every caption, and captions share a small vocabulary. The cache is emptied
 * when it reaches `maxEntries`, so memory stays bounded; results never depend on it.
 */
export function memoiseByWord<T>(
  fn: (word: string) => T,
  maxEntries = 50_000,
): (word: string) => T {
  const cache = new Map<string, T>();
  return (word) => {
    const hit = cache.get(word);
    if (hit !== undefined || cache.has(word)) return hit as T;
    if (cache.size >= maxEntries) cache.clear();
    const value = fn(word);
    cache.set(word, value);
    return value;
  };
}
