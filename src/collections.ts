/** Small collection helpers shared by the stages. */

/** Adds `value` to the list at `key`, in place (a header can reach thousands of outputs). */
export function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
