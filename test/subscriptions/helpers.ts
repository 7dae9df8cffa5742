import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registration, type Harness } from '../support/harness';

/** Polls until `check` is truthy (or fails the test after `timeoutMs`). */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Delivery {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
}

/** A real HTTP receiver on 127.0.0.1; `respond` decides each answer's status. */
/** A webhook receiver; `respond` may hold a delivery (answer with a promise) to keep the sender waiting. */
export async function startReceiver(
  respond: (delivery: Omit<Delivery, 'status'>) => number | Promise<number> = () => 204,
) {
  const all: Delivery[] = [];
  let decide = respond;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const partial = { headers: req.headers, body, json: JSON.parse(body) };
      void Promise.resolve(decide(partial)).then((status) => {
        all.push({ ...partial, status });
        res.writeHead(status).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    all,
    /** Deliveries answered 2xx. */
    accepted: () => all.filter((d) => d.status >= 200 && d.status < 300),
    setRespond(next: typeof respond) {
      decide = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Registers a project and takes it through every approval (5 events of family 批复, the sharing review among them). */
export async function approveProject(h: Harness, dept: string): Promise<string> {
  const unit = h.token('CONSTRUCTION_UNIT', dept);
  const office = h.token('OFFICE');
  const body = registration(dept);
  const id = body.projectId;
  const steps: Array<[string, string, Record<string, unknown>]> = [
    [unit, 'submit-proposal', { documentRef: 'DOC-P' }],
    [office, 'approve-proposal', { opinion: '同意' }],
    [unit, 'submit-feasibility', { documentRef: 'DOC-F' }],
    [office, 'review-sharing', { shareable: true, opinion: '按目录共享' }],
    [office, 'approve-feasibility', { opinion: '同意' }],
    [
      unit,
      'submit-preliminary-design',
      {
        documentRef: 'DOC-D',
        estimateFen: 300_000_000,
        productSecurityStatement: '国产化',
        cryptoApplicationPlan: 'M',
      },
    ],
    [office, 'review-preliminary-design', { passed: true, verifiedEstimateFen: 300_000_000, opinion: '核价' }],
    [office, 'approve-preliminary-design', { opinion: '批复', approvedEstimateFen: 300_000_000 }],
  ];
  const created = await h.request('POST', '/projects', { token: unit, body });
  if (created.status !== 201) throw new Error(`register: ${created.status} ${JSON.stringify(created.body)}`);
  for (const [token, action, payload] of steps) {
    const res = await h.request('POST', `/projects/${id}/${action}`, { token, body: payload });
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return id;
}

/** Continues an approved project to completed construction on `completedOn`. */
export async function completeConstruction(
  h: Harness,
  id: string,
  dept: string,
  startedOn: string,
  completedOn: string,
): Promise<void> {
  const unit = h.token('CONSTRUCTION_UNIT', dept);
  const steps: Array<[string, Record<string, unknown>]> = [
    ['assign-responsibility', { implementingBody: '信息中心', responsiblePerson: '赵六' }],
    ['engage-supervision', { supervisionUnit: '某监理公司', contractRef: 'CT-1' }],
    ['start-construction', { startedOn }],
    ['complete-construction', { completedOn, surplusFen: 0 }],
  ];
  for (const [action, payload] of steps) {
    const res = await h.request('POST', `/projects/${id}/${action}`, { token: unit, body: payload });
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
