import { everyPage, EXPORT_PAGE_SIZE } from '../../src/projects/project-exports';

/** An export holds every page of its list, asking for each page once and for the first before any row. */
describe('everyPage (Excel exports of the paged lists)', () => {
  const list = (total: number, perProject = 1) => {
    const asked: number[] = [];
    const fetch = async (page: number) => {
      asked.push(page);
      const from = (page - 1) * EXPORT_PAGE_SIZE;
      const projects = Array.from(
        { length: Math.max(0, Math.min(EXPORT_PAGE_SIZE, total - from)) },
        (_, i) => from + i,
      );
      return { items: projects.flatMap((p) => Array.from({ length: perProject }, (_, k) => ({ p, k }))), total };
    };
    return { asked, fetch };
  };
  const collect = async (rows: AsyncIterable<Record<string, unknown>>) => {
    const out: Record<string, unknown>[] = [];
    for await (const row of rows) out.push(row);
    return out;
  };

  it('reads page after page until the total is covered', async () => {
    const { asked, fetch } = list(2 * EXPORT_PAGE_SIZE + 1);
    const rows = await everyPage(fetch);
    expect(asked).toEqual([1]);
    const all = await collect(rows);
    expect(all.map((r) => r.p)).toEqual(Array.from({ length: 2 * EXPORT_PAGE_SIZE + 1 }, (_, i) => i));
    expect(asked).toEqual([1, 2, 3]);
  });

  it('pages by projects, not rows: a page yielding none does not end the export', async () => {
    const { asked, fetch } = list(EXPORT_PAGE_SIZE + 3, 0);
    expect(await collect(await everyPage(fetch))).toEqual([]);
    expect(asked).toEqual([1, 2]);
  });

  it('an empty list is one question', async () => {
    const { asked, fetch } = list(0);
    expect(await collect(await everyPage(fetch))).toEqual([]);
    expect(asked).toEqual([1]);
  });

  it('a refusal of the first page is raised before any row is written', async () => {
    await expect(everyPage(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });
});
