import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startHarness, type Harness } from '../support/harness';

/** What Node's HTTP parser refuses never reaches Fastify; it still answers problem+json. */
describe('requests refused on the wire', () => {
  let h: Harness;
  let port: number;
  beforeAll(async () => {
    h = await startHarness();
    await h.app.listen(0, '127.0.0.1');
    port = (h.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => h.close());

  const raw = (request: Buffer) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(request));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });

  it('answers raw non-ASCII bytes in the URL with a problem+json 400 and keeps serving', async () => {
    const answer = await raw(Buffer.from('GET /projects?q=数据 HTTP/1.1\r\nHost: localhost\r\n\r\n', 'utf8'));
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('application/problem+json');
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 400,
      code: 'BAD_REQUEST',
    });
    const health = await h.request('GET', '/health');
    expect(health.status).toBe(200);
  });
});
