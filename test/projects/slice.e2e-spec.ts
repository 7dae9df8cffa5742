import { startHarness, registration, type Harness } from '../support/harness';

describe('vertical slice over HTTP: register, submit and approve the proposal, read it back', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('registers, submits, approves and serves the project from the read model', async () => {
    const unit = h.token('CONSTRUCTION_UNIT', 'D01');
    const office = h.token('OFFICE');
    const body = registration('D01');
    const created = await h.request('POST', '/projects', { token: unit, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ projectId: body.projectId, revision: 0, events: ['ProjectRegistered'] });

    const submitted = await h.request('POST', `/projects/${body.projectId}/submit-proposal`, {
      token: unit,
      body: { documentRef: 'DOC-1' },
    });
    expect(submitted.status).toBe(200);
    const approved = await h.request('POST', `/projects/${body.projectId}/approve-proposal`, {
      token: office,
      body: { opinion: '同意' },
    });
    expect(approved.status).toBe(200);
    expect(approved.body.revision).toBe(2);

    const read = await h.request('GET', `/projects/${body.projectId}?minRevision=2`, { token: unit });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ projectId: body.projectId, status: 'PROPOSAL', revision: 2, name: body.name });
    expect(read.body.state).toBeUndefined();
  });
});
