import { OperationsModule } from '../../src/operations/operations.module';
import { TestClockController } from '../../src/operations/test-clock.controller';
import { untilProjectionsRun } from '../support/fixtures';
import { registration, startHarness, type Harness } from '../support/harness';

/** OperationsModule: what operators use (health, metrics, projection status and rebuild, test clock). */
describe('operations module', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('health names each store and the projections, without a token', async () => {
    const health = await h.request('GET', '/health');
    expect(health.status).toBe(200);
    expect(Object.keys(health.body.info ?? health.body.details ?? {})).toEqual(
      expect.arrayContaining(['eventStore', 'readModels', 'projections']),
    );
  });

  it('metrics are Prometheus text that counts the commands handled', async () => {
    const unit = h.token('CONSTRUCTION_UNIT', 'D01');
    expect((await h.request('POST', '/projects', { token: unit, body: registration('D01') })).status).toBe(201);
    const metrics = await h.request('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(String(metrics.headers['content-type'])).toContain('text/plain');
    expect(typeof metrics.body === 'string' ? metrics.body : JSON.stringify(metrics.body)).toContain('RegisterProject');
  });

  it('projection status and rebuild belong to the office; an unknown projection is a 404 problem', async () => {
    const office = h.token('OFFICE');
    const status = await h.request('GET', '/admin/projections', { token: office });
    expect(status.status).toBe(200);
    expect(status.body.map((lane: { name: string }) => lane.name)).toEqual(
      expect.arrayContaining(['projects', 'annual-plans']),
    );
    expect((await h.request('GET', '/admin/projections', { token: h.token('AUDIT') })).status).toBe(403);
    const unknown = await h.request('POST', '/admin/projections/nothing/rebuild', { token: office });
    expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'PROJECTION_NOT_FOUND' });
    const rebuild = await h.request('POST', '/admin/projections/projects/rebuild', { token: office });
    expect({ status: rebuild.status, body: rebuild.body }).toEqual({
      status: 202,
      body: { name: 'projects', state: 'rebuilding' },
    });
    await untilProjectionsRun(h); // the rebuild runs in the background; it must end before the service stops
    const after = await h.request('GET', '/admin/projections', { token: office });
    // One lane per read model (projects, annual plans, 第七条 frameworks …), every one running again.
    expect(after.body.map((lane: { state: string }) => lane.state)).toEqual(after.body.map(() => 'running'));
    expect(after.body.map((lane: { name: string }) => lane.name)).toEqual(expect.arrayContaining(['frameworks']));
  });

  it('the test clock route exists only when the module is asked for it', () => {
    const withClock = OperationsModule.forRoot({ testClock: true });
    const without = OperationsModule.forRoot({ testClock: false });
    expect(withClock.controllers).toContain(TestClockController);
    expect(without.controllers).not.toContain(TestClockController);
  });
});
