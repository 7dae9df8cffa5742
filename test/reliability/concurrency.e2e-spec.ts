/**
 * Guarantee 2 — concurrency. Many clients race conflicting commands at one project through the
 * real HTTP stack (group commit, retry loop, idempotency): exactly the allowed ones succeed, the
 * others get 409/422, and the invariants hold in the final state and in the stored events.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../support/harness';
import { ESTIMATE_FEN, driveTo, readProject, tokenFor, type Project, type Role } from '../support/fixtures';

const LIMIT_FEN = ESTIMATE_FEN / 10; // 第二十条: at most 10 % of the approved estimate

describe('concurrency: conflicting commands on one project (guarantee 2)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const race = (p: Project, role: Role, path: string, bodies: object[], headers: Record<string, string> = {}) =>
    Promise.all(
      bodies.map((body) =>
        h.request('POST', `/projects/${p.id}/${path}`, { token: tokenFor(h, role, p.dept), body, headers }),
      ),
    );

  async function history(p: Project): Promise<Array<{ type: string; revision: number; data: any }>> {
    const r = await h.request('GET', `/projects/${p.id}/history`, { token: h.token('AUDIT') });
    expect(r.status).toBe(200);
    return r.body.events;
  }

  const statuses = (rs: Array<{ status: number; body: any }>) =>
    rs.map((r) => (r.status === 200 ? 200 : `${r.status} ${r.body.code}`)).sort();

  it.each([
    ['approve-proposal', 'PROPOSAL_SUBMITTED', { opinion: '同意' }, 'ProposalApproved'],
    ['approve-feasibility', 'SHARING_REVIEWED', { opinion: '可研批复' }, 'FeasibilityApproved'],
    [
      'approve-preliminary-design',
      'DESIGN_REVIEWED',
      { opinion: '批复', approvedEstimateFen: ESTIMATE_FEN },
      'PreliminaryDesignApproved',
    ],
  ] as const)(
    '8 concurrent %s: exactly one succeeds, the others 409 INVALID_STATE, one event stored',
    async (path, stage, body, event) => {
      const p = await driveTo(h, stage);
      const answers = await race(
        p,
        'OFFICE',
        path,
        Array.from({ length: 8 }, () => body),
      );
      expect(statuses(answers)).toEqual([200, ...Array(7).fill('409 INVALID_STATE')]);
      const events = await history(p);
      expect(events.filter((e) => e.type === event)).toHaveLength(1);
    },
  );

  it('approve and reject raced against each other: exactly one decision is stored', async () => {
    const p = await driveTo(h, 'PROPOSAL_SUBMITTED');
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () =>
        h.request('POST', `/projects/${p.id}/approve-proposal`, {
          token: h.token('OFFICE'),
          body: { opinion: '同意' },
        }),
      ),
      ...Array.from({ length: 4 }, () =>
        h.request('POST', `/projects/${p.id}/reject-proposal`, { token: h.token('OFFICE'), body: { opinion: '退回' } }),
      ),
    ]);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 200).every((a) => a.status === 409)).toBe(true);
    const decisions = (await history(p)).filter((e) => e.type === 'ProposalApproved' || e.type === 'ProposalRejected');
    expect(decisions).toHaveLength(1);
  });

  it('the same expectedRevision from 8 clients: one succeeds, 7 get 409 REVISION_CONFLICT', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const answers = await race(
      p,
      'CONSTRUCTION_UNIT',
      'report-incident',
      Array.from({ length: 8 }, (_, i) => ({
        kind: 'SERIOUS_DELAY',
        description: `滞后 ${i}`,
        expectedRevision: p.revision,
      })),
    );
    expect(statuses(answers)).toEqual([200, ...Array(7).fill('409 REVISION_CONFLICT')]);
    expect((await history(p)).filter((e) => e.type === 'IncidentReported')).toHaveLength(1);
  });

  it('8 concurrent registrations of one projectId: one 201, the others 409, one stream', async () => {
    const dept = 'DREG';
    const projectId = randomUUID();
    const { registration } = await import('../support/harness');
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        h.request('POST', '/projects', {
          token: h.token('CONSTRUCTION_UNIT', dept),
          body: registration(dept, { projectId }),
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array(7).fill(409)]);
    expect(await history({ id: projectId, dept, revision: 0 })).toHaveLength(1);
  });

  it('8 concurrent retries with one Idempotency-Key: one event, eight identical answers', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const answers = await race(
      p,
      'CONSTRUCTION_UNIT',
      'report-incident',
      Array.from({ length: 8 }, () => ({ kind: 'MAJOR_LOSS', description: '损失' })),
      {
        'idempotency-key': `race-${p.id}`,
      },
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect((await history(p)).filter((e) => e.type === 'IncidentReported')).toHaveLength(1);
  });

  it(
    '8 adjustments of 7 % racing (56 % together): exactly ' + '1 succeeds, 7 get 422 ADJUSTMENT_EXCEEDS_LIMIT',
    async () => {
      const p = await driveTo(h, 'UNDER_CONSTRUCTION');
      const amount = (ESTIMATE_FEN * 7) / 100;
      const answers = await race(
        p,
        'CONSTRUCTION_UNIT',
        'file-adjustment',
        Array.from({ length: 8 }, () => ({
          reason: 'BUSINESS_NEEDS',
          amountFen: amount,
          newTotalFen: ESTIMATE_FEN,
          objectivesUnchanged: true,
          description: '调整',
        })),
      );
      expect(statuses(answers)).toEqual([200, ...Array(7).fill('422 ADJUSTMENT_EXCEEDS_LIMIT')]);
      const doc = await readProject(h, p, p.revision + 1);
      expect(doc.adjustedFundsTotalFen).toBe(amount);
    },
  );

  it('property: any mix of concurrent adjustments accepts a maximal set that never passes 10 %', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: LIMIT_FEN / 2 }), { minLength: 2, maxLength: 10 }),
        async (amounts) => {
          const p = await driveTo(h, 'UNDER_CONSTRUCTION');
          const answers = await race(
            p,
            'CONSTRUCTION_UNIT',
            'file-adjustment',
            amounts.map((amountFen) => ({
              reason: 'TECHNICAL_OPTIMIZATION',
              amountFen,
              newTotalFen: ESTIMATE_FEN,
              objectivesUnchanged: true,
              description: '调整',
            })),
          );
          const accepted = amounts.filter((_, i) => answers[i].status === 200);
          const refused = answers.filter((a) => a.status !== 200);
          expect(
            refused.every(
              (a) => a.status === 422 && a.body.code === 'ADJUSTMENT_EXCEEDS_LIMIT' && a.body.article === '第二十条',
            ),
          ).toBe(true);
          const total = accepted.reduce((s, a) => s + a, 0);
          expect(total).toBeLessThanOrEqual(LIMIT_FEN);
          // Maximal: each refusal came when the running total (≤ the final one) left no room for it.
          amounts.forEach((a, i) => {
            if (answers[i].status !== 200) expect(a).toBeGreaterThan(LIMIT_FEN - total);
          });
          // The stored events and the read model agree with the answers.
          const filed = (await history(p)).filter((e) => e.type === 'AdjustmentFiled');
          expect(filed.map((e) => e.data.amountFen).sort()).toEqual([...accepted].sort());
          const running = filed.map((e) => e.data.adjustedFundsTotalFen);
          expect(running).toEqual(filed.map((_, i) => filed.slice(0, i + 1).reduce((s, e) => s + e.data.amountFen, 0)));
          const doc = await readProject(h, p, p.revision + accepted.length);
          expect(doc.adjustedFundsTotalFen).toBe(total);
          expect(doc.adjustedFundsTotalFen).toBeLessThanOrEqual(doc.approvedEstimateFen / 10);
        },
      ),
      { numRuns: 12 },
    );
  });
});
