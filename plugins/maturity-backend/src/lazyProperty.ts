/**
 * Adds `key` to `target`, computed by `load` on first read and kept: for
 * values that are costly to build and often not needed (an unpacked
 * repository extraction when the entity turns out to be unchanged).
 */
export function lazyProperty<T extends object, K extends string, V>(
  target: T,
  key: K,
  load: () => V,
): T & Record<K, V> {
  let loaded = false;
  let value: V;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      if (!loaded) {
        value = load();
        loaded = true;
      }
      return value;
    },
  });
  return target as T & Record<K, V>;
}
