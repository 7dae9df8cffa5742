import type { StoredEvent } from '../../src/event-store/event-store.port';
import { annualPlansProjection } from '../../src/annual-plans/annual-plans.projection';
import type { Doc } from '../../src/read-model/read-model.port';

/** Issue 11 §5e: a plan document must not grow with every event toward MongoDB's 16 MB limit. */
describe('annual plans projection', () => {
  const event = (revision: number, type: string, data: Record<string, unknown>): StoredEvent =>
    ({
      streamId: 'annual-plan-2030',
      revision,
      position: String(revision + 1),
      type,
      data,
      metadata: { occurredAt: `2030-01-0${(revision % 9) + 1}T00:00:00.000Z`, actor: { id: 'office', role: 'OFFICE' } },
    }) as unknown as StoredEvent;

  it('keeps no history in the document: its size does not grow with events that change nothing in the plan', () => {
    let doc: Doc | null = null;
    const sizes: number[] = [];
    const included = event(0, 'ProjectIncludedInPlan', { year: 2030, projectId: 'p1', reviewOpinion: '符合规划' });
    doc = { ...annualPlansProjection.evolve(doc, included, '2030')!, _id: '2030', _v: 0 } as Doc;
    for (let r = 1; r <= 50; r++) {
      const feedback = event(r, 'BudgetFeedbackRecorded', {
        year: 2030,
        projectId: 'p1',
        inBudget: true,
        controlAmountFen: 100,
      });
      doc = { ...annualPlansProjection.evolve(doc, feedback, '2030')!, _id: '2030', _v: r } as Doc;
      sizes.push(JSON.stringify({ ...doc, _v: 0, revision: 0, updatedAt: '' }).length);
    }
    expect(doc).not.toHaveProperty('history');
    expect(new Set(sizes.slice(1)).size).toBe(1);
  });
});
