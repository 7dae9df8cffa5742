/*
 * Types for lru-cache 5.1.1 (the version in node_modules; it ships none), limited to what we
 * use. The same calls exist in the current major (11, bundled types, `import { LRUCache }`).
 */
declare module 'lru-cache' {
  namespace LRUCache {
    interface Options {
      /** Most entries kept; the least recently used goes first. */
      max: number;
    }
  }
  class LRUCache<K, V> {
    constructor(options: LRUCache.Options);
    /** The value, marking it most recently used. */
    get(key: K): V | undefined;
    set(key: K, value: V): boolean;
    readonly length: number;
  }
  export = LRUCache;
}
