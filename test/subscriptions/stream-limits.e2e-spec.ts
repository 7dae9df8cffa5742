/**
 * Limits on live event streams and waiting reads (issue 11 §6): 500 SSE streams replaying from 0
 * made /health slow. Streams beyond the per-user or total cap are refused with 429 problem+json
 * before anything is read; replays are paced, so the process keeps answering meanwhile; reads
 * waiting for a revision beyond the cap answer 503 at once.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { comparePositions } from '../../src/event-store/position';
import { EventStreamService } from '../../src/subscriptions/event-stream.service';
import { startHarness, type Harness } from '../support/harness';
import { approveProject, waitFor } from './helpers';

interface Client {
  response: IncomingMessage;
  body: string;
  ids: string[];
  close(): void;
}

function connect(base: string, path: string, token: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` } },
      (response) => {
        const client: Client = { response, body: '', ids: [], close: () => req.destroy() };
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          client.body += chunk;
          client.ids = [...client.body.matchAll(/^id: (.+)$/gm)].map((m) => m[1]);
        });
        resolve(client);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('limits on event streams and waiting reads', () => {
  let h: Harness;
  let base: string;
  let total: number;
  let projectId: string;
  const open: Client[] = [];
  beforeAll(async () => {
    h = await startHarness({
      env: {
        SSE_MAX_STREAMS_PER_USER: '3',
        SSE_MAX_STREAMS: '5',
        SSE_MAX_EVENTS_PER_SECOND: '25',
        SSE_YIELD_EVERY: '5',
        READ_MAX_WAITING: '2',
      },
    });
    await h.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(h.app.getHttpServer().address() as AddressInfo).port}`;
    for (let i = 0; i < 4; i++) projectId = await approveProject(h, 'D01');
    total = (await h.app.get<EventStore>(EVENT_STORE).readAll({ limit: 10_000 })).length;
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await h.close();
  });

  it(
    'refuses a stream beyond the per-user and the total cap with 429 TOO_MANY_STREAMS; ' +
      '/health answers while the others replay',
    async () => {
      const office = h.token('OFFICE', undefined, 'office-1');
      for (let i = 0; i < 3; i++) {
        const c = await connect(base, '/events/stream?after=0', office);
        expect(c.response.statusCode).toBe(200);
        open.push(c);
      }
      const refused = await connect(base, '/events/stream?after=0', office);
      expect(refused.response.statusCode).toBe(429);
      expect(refused.response.headers['content-type']).toMatch(/application\/problem\+json/);
      await waitFor(() => refused.response.complete, 5000, 'the refusal body');
      expect(JSON.parse(refused.body)).toMatchObject({ status: 429, code: 'TOO_MANY_STREAMS' });

      // Other users have their own allowance, up to the total.
      for (const sub of ['finance-1', 'finance-2']) {
        const c = await connect(base, '/events/stream?after=0', h.token('FINANCE', undefined, sub));
        expect(c.response.statusCode).toBe(200);
        open.push(c);
      }
      const overTotal = await connect(base, '/events/stream?after=0', h.token('AUDIT', undefined, 'audit-1'));
      expect(overTotal.response.statusCode).toBe(429);
      expect(h.app.get(EventStreamService).openStreams).toBe(5);

      // Five replays of the whole log are under way, paced: the service still answers.
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect(open.some((c) => c.ids.length < total)).toBe(true);

      // Every stream still replays the whole log, in order.
      await waitFor(() => open.every((c) => c.ids.length >= total), 30_000, 'every replay complete');
      for (const c of open) {
        expect(c.ids).toHaveLength(total);
        for (let i = 1; i < c.ids.length; i++) expect(comparePositions(c.ids[i - 1], c.ids[i])).toBeLessThan(0);
      }

      // A closed stream gives its place back.
      open.shift()!.close();
      await waitFor(() => h.app.get(EventStreamService).openStreams === 4, 5000, 'the closed stream released');
      const again = await connect(base, '/events/stream', office);
      expect(again.response.statusCode).toBe(200);
      open.push(again);
    },
  );

  it('answers a read beyond the cap of waiting reads at once with 503 TOO_MANY_WAITING_READS', async () => {
    const office = h.token('OFFICE');
    const url = `/projects/${projectId}?minRevision=999&wait=1500`;
    const waiting = [h.request('GET', url, { token: office }), h.request('GET', url, { token: office })];
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const third = await h.request('GET', url, { token: office });
    expect(third.status).toBe(503);
    expect(third.body.code).toBe('TOO_MANY_WAITING_READS');
    expect(Date.now() - started).toBeLessThan(1000);
    for (const res of await Promise.all(waiting)) expect(res.body.code).toBe('READ_MODEL_BEHIND');
    // The places are free again; a read that need not wait never counts.
    expect((await h.request('GET', `/projects/${projectId}?minRevision=1`, { token: office })).status).toBe(200);
    expect((await h.request('GET', url.replace('wait=1500', 'wait=100'), { token: office })).body.code).toBe(
      'READ_MODEL_BEHIND',
    );
  });
});
