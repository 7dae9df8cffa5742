/**
 * The part of lru-cache 5 the stream cache uses: that major ships no types (7 and later ship
 * their own, with `maxSize`/`sizeCalculation` for `max`/`length`; this file goes with that upgrade).
 */
declare module 'lru-cache' {
  namespace LRUCache {
    interface Options<K, V> {
      /** The bound, in the units `length` returns (1 per entry without it). */
      max?: number;
      length?(value: V, key: K): number;
    }
  }
  class LRUCache<K, V> {
    constructor(options?: LRUCache.Options<K, V>);
    /** Marks the entry most recently used. */
    get(key: K): V | undefined;
    /** Stores and marks most recently used; an entry longer than `max` is not stored (false). */
    set(key: K, value: V): boolean;
    del(key: K): void;
    /** The sum of the entries' lengths. */
    readonly length: number;
    readonly itemCount: number;
  }
  export = LRUCache;
}
