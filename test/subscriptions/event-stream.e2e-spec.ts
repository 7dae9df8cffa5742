import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { resolveTypes } from '../../src/subscriptions/event-envelope';
import { EventStreamService } from '../../src/subscriptions/event-stream.service';
import { acknowledgedFramework } from '../support/fixtures';
import { registration, startHarness, type Harness } from '../support/harness';
import { approveProject, waitFor } from './helpers';

interface SseClient {
  response: IncomingMessage;
  frames: Array<{ id?: string; data?: any; comment?: string }>;
  close(): void;
}

/** A minimal SSE client over a real socket: splits frames on blank lines. */
function connect(base: string, path: string, headers: Record<string, string>): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const frames: SseClient['frames'] = [];
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: SseClient['frames'][number] = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) frame.comment = line.slice(1).trim();
            else if (line.startsWith('id: ')) frame.id = line.slice(4);
            else if (line.startsWith('data: ')) frame.data = JSON.parse(line.slice(6));
          }
          frames.push(frame);
        }
      });
      resolve({ response, frames, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

const events = (c: SseClient) => c.frames.filter((f) => f.data !== undefined);

describe('GET /events/stream (Server-Sent Events)', () => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await startHarness({ env: { SSE_HEARTBEAT_MS: '100' } });
    await h.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(h.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await h.close();
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const approvals = async () =>
    h.app.get<EventStore>(EVENT_STORE).readAll({ limit: 10_000, types: resolveTypes(undefined, ['批复']) });

  it('refuses without a token and with bad filters, before streaming', async () => {
    const anonymous = await connect(base, '/events/stream', {});
    expect(anonymous.response.statusCode).toBe(401);
    anonymous.close();
    const office = h.token('OFFICE');
    expect((await h.request('GET', '/events/stream?family=nope', { token: office })).status).toBe(400);
    expect((await h.request('GET', '/events/stream?types=Nope', { token: office })).status).toBe(400);
    expect(
      (await h.request('GET', '/events/stream', { token: office, headers: { 'last-event-id': 'abc' } })).status,
    ).toBe(400);
    // Well-formed but not a position of this store: an EventStoreDB one, or one never issued.
    expect(
      (await h.request('GET', '/events/stream', { token: office, headers: { 'last-event-id': '1234/1234' } })).status,
    ).toBe(400);
    expect((await h.request('GET', '/events/stream?after=99999999', { token: office })).status).toBe(400);
  });

  it('resumes after Last-Event-ID, filters by family, then follows live; ids are global positions', async () => {
    const first = await approveProject(h, 'D01');
    const existing = await approvals();
    expect(existing.length).toBeGreaterThanOrEqual(4);
    const resumeAfter = existing[1].position;

    const client = await connect(base, `/events/stream?family=${encodeURIComponent('批复')}`, {
      ...auth(h.token('OFFICE')),
      'last-event-id': resumeAfter,
    });
    expect(client.response.statusCode).toBe(200);
    expect(client.response.headers['content-type']).toMatch(/^text\/event-stream/);
    await waitFor(() => events(client).length >= existing.length - 2, 5000, 'catch-up');
    expect(events(client).map((f) => f.id)).toEqual(existing.slice(2).map((e) => e.position));

    const second = await approveProject(h, 'D02');
    await waitFor(() => events(client).length >= existing.length + 2, 5000, 'live events');
    const received = events(client);
    for (const f of received) {
      expect(f.data.family).toBe('批复');
      expect(f.id).toBe(f.data.position);
      expect(f.data).toEqual(
        expect.objectContaining({
          streamId: expect.any(String),
          revision: expect.any(Number),
          type: expect.any(String),
          label: expect.any(String),
          metadata: expect.objectContaining({ eventId: expect.any(String) }),
        }),
      );
    }
    // The first project's approval events after the resume point, then the second's (5 each, 第二十四条 review included).
    const caughtUp = existing.length - 2;
    expect(received.slice(0, caughtUp).every((f) => f.data.streamId === `project-${first}`)).toBe(true);
    expect(received.slice(caughtUp).every((f) => f.data.streamId === `project-${second}`)).toBe(true);
    // Heartbeat comments keep idle connections open.
    await waitFor(() => client.frames.some((f) => f.comment === 'heartbeat'), 2000, 'heartbeat');

    // Disconnect stops the store subscription.
    const service = h.app.get(EventStreamService);
    expect(service.openStreams).toBe(1);
    client.close();
    await waitFor(() => service.openStreams === 0, 2000, 'stream closed');
  });

  it("shows a construction unit only its own department's projects; types filter; ?after=", async () => {
    const mine = await approveProject(h, 'D07');
    await approveProject(h, 'D08');
    const client = await connect(
      base,
      '/events/stream?types=ProposalApproved,ProjectRegistered&after=0',
      auth(h.token('CONSTRUCTION_UNIT', 'D07')),
    );
    await waitFor(() => events(client).length >= 2, 5000, 'own events');
    await new Promise((r) => setTimeout(r, 150));
    expect(events(client).map((f) => [f.data.type, f.data.streamId])).toEqual([
      ['ProjectRegistered', `project-${mine}`],
      ['ProposalApproved', `project-${mine}`],
    ]);
    client.close();
  });

  it('第七条 shows a construction unit the events of the frameworks its department is in only', async () => {
    const frameworkId = await acknowledgedFramework(h, 'D20', ['D21']);
    const stranger = await connect(
      base,
      '/events/stream?types=FrameworkFiled,FrameworkAcknowledged,ProjectRegistered&after=0',
      auth(h.token('CONSTRUCTION_UNIT', 'D22')),
    );
    const participant = await connect(
      base,
      '/events/stream?types=FrameworkFiled,FrameworkAcknowledged&after=0',
      auth(h.token('CONSTRUCTION_UNIT', 'D21')),
    );
    await waitFor(() => events(participant).length >= 2, 5000, 'the framework events');
    expect(events(participant).map((f) => [f.data.type, f.data.streamId])).toEqual([
      ['FrameworkFiled', `framework-${frameworkId}`],
      ['FrameworkAcknowledged', `framework-${frameworkId}`],
    ]);
    // The stranger's own later registration arrives; nothing of the framework came before it.
    const own = registration('D22');
    expect(
      (await h.request('POST', '/projects', { token: h.token('CONSTRUCTION_UNIT', 'D22'), body: own })).status,
    ).toBe(201);
    await waitFor(() => events(stranger).length >= 1, 5000, 'own registration');
    expect(events(stranger).map((f) => f.data.streamId)).toEqual([`project-${own.projectId}`]);
    stranger.close();
    participant.close();
  });

  it('a client that pauses reading loses nothing and gets no duplicates after resuming', async () => {
    for (let i = 0; i < 3; i++) await approveProject(h, 'D09');
    const client = await connect(base, '/events/stream?after=0', auth(h.token('OFFICE')));
    client.response.pause(); // the socket buffers fill up; the server must wait for 'drain'
    await new Promise((r) => setTimeout(r, 200));
    client.response.resume();
    const total = (await h.app.get<EventStore>(EVENT_STORE).readAll({ limit: 10_000 })).length;
    await waitFor(() => events(client).length >= total, 5000, 'everything after resuming');
    expect(new Set(events(client).map((f) => f.id)).size).toBe(total);
    client.close();
  });
});
