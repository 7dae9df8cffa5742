/**
 * lru-cache 5 (the version installed) ships no types: the part of its API this code uses.
 * Versions 7 and later ship their own types and name `del` `delete`: remove this file then.
 */
declare module 'lru-cache' {
  class LRUCache<K, V> {
    constructor(options: { max: number });
    get(key: K): V | undefined;
    set(key: K, value: V): boolean;
    del(key: K): void;
    readonly length: number;
  }
  export = LRUCache;
}
