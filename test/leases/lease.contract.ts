import type { LeaseStore } from '../../src/leases/lease.port';

/**
 * What every LeaseStore adapter promises, run against two stores (standing in for two
 * instances) over one backing store.
 */
export function leaseStoreContract(
  name: string,
  open: () => Promise<[LeaseStore, LeaseStore, () => Promise<void>]>,
): void {
  describe(`LeaseStore contract: ${name}`, () => {
    let a: LeaseStore;
    let b: LeaseStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      [a, b, cleanup] = await open();
    });
    afterEach(async () => {
      await a.close();
      await b.close();
      await cleanup();
    });
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    it('gives a free lease to one owner and refuses it to another while it holds', async () => {
      expect(await a.acquire('webhook:1', 'instance-a', 5000)).toBe(true);
      expect(await b.acquire('webhook:1', 'instance-b', 5000)).toBe(false);
      // Renewing is acquiring again.
      expect(await a.acquire('webhook:1', 'instance-a', 5000)).toBe(true);
      expect(await b.acquire('webhook:1', 'instance-b', 5000)).toBe(false);
      // Leases are independent of each other.
      expect(await b.acquire('webhook:2', 'instance-b', 5000)).toBe(true);
    });

    it('lets another owner take an expired lease, after which the old owner is refused', async () => {
      expect(await a.acquire('seal-scheduler', 'instance-a', 150)).toBe(true);
      await sleep(250);
      expect(await b.acquire('seal-scheduler', 'instance-b', 5000)).toBe(true);
      expect(await a.acquire('seal-scheduler', 'instance-a', 5000)).toBe(false);
    });

    it('frees a lease on release by its owner only', async () => {
      expect(await a.acquire('deadline-watcher', 'instance-a', 5000)).toBe(true);
      await b.release('deadline-watcher', 'instance-b');
      expect(await b.acquire('deadline-watcher', 'instance-b', 5000)).toBe(false);
      await a.release('deadline-watcher', 'instance-a');
      expect(await b.acquire('deadline-watcher', 'instance-b', 5000)).toBe(true);
    });

    it('gives a free lease to exactly one of many racing owners', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).acquire('webhook:race', `instance-${i}`, 5000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}
