import { checkWebhookUrl, forbiddenAddressReason, type Lookup } from '../../src/subscriptions/ssrf';

/** A fake resolver: no network in unit tests. */
const dnsTable: Record<string, string[]> = {
  'hooks.example.com': ['93.184.216.34'],
  'dual.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'rebind.example.com': ['93.184.216.34', '10.0.0.5'],
  'internal.example.com': ['192.168.1.10'],
  localhost: ['127.0.0.1', '::1'],
  'receiver.intranet': ['10.1.2.3'],
};
const lookup: Lookup = async (host) => {
  const addresses = dnsTable[host];
  if (!addresses) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
  return addresses;
};

describe('SSRF guard for webhook targets', () => {
  it.each([
    ['https://hooks.example.com/ordos', true],
    ['http://hooks.example.com:8080/x?y=1', true],
    ['https://dual.example.com/', true],
    ['https://93.184.216.34/', true],
    ['https://[2606:2800:220:1:248:1893:25c8:1946]/', true],
    ['ftp://hooks.example.com/', false],
    ['file:///etc/passwd', false],
    ['gopher://hooks.example.com/', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
    ['https://user:pass@hooks.example.com/', false],
    ['http://localhost:3000/', false],
    ['http://127.0.0.1/', false],
    ['http://127.1/', false],
    ['http://2130706433/', false], // decimal 127.0.0.1
    ['http://0x7f000001/', false],
    ['http://0.0.0.0/', false],
    ['http://10.0.0.1/', false],
    ['http://172.16.5.4/', false],
    ['http://172.31.255.255/', false],
    ['http://192.168.0.1/', false],
    ['http://169.254.169.254/latest/meta-data/', false], // cloud metadata
    ['http://100.64.0.1/', false], // CGNAT
    ['http://224.0.0.1/', false], // multicast
    ['http://255.255.255.255/', false],
    ['http://[::1]/', false],
    ['http://[::]/', false],
    ['http://[fd00::1]/', false], // ULA
    ['http://[fc00::1]/', false],
    ['http://[fe80::1]/', false], // link-local
    ['http://[ff02::1]/', false], // multicast
    ['http://[::ffff:127.0.0.1]/', false], // IPv4-mapped
    ['http://[::ffff:7f00:1]/', false], // IPv4-mapped, hex form
    ['http://[::ffff:10.0.0.1]/', false],
    ['http://[64:ff9b::a9fe:a9fe]/', false], // NAT64 of 169.254.169.254
    ['http://[2002:c0a8:0101::1]/', false], // 6to4 of 192.168.1.1
    ['https://internal.example.com/', false],
    ['https://rebind.example.com/', false], // one private answer is enough to refuse
    ['https://nowhere.invalid/', false],
    ['http://172.32.0.1/', true], // just outside 172.16/12
    ['http://[::ffff:93.184.216.34]/', true],
    // Issue 11: further IPv6 forms of loopback and private IPv4
    ['http://[::ffff:0:7f00:1]/', false], // IPv4-translated ::ffff:0:0/96 of 127.0.0.1
    ['http://[::ffff:0:127.0.0.1]/', false], // the same, dotted
    ['http://[::ffff:0:a9fe:a9fe]/', false], // IPv4-translated 169.254.169.254
    ['http://[64:ff9b:1::7f00:1]/', false], // local-use NAT64 (RFC 8215)
    ['http://[64:ff9b:1:ffff::5db8:d822]/', false], // local-use NAT64 refused whatever it embeds
    ['http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', false], // Teredo (client 127.0.0.1 obfuscated)
    ['http://[2001::1]/', false], // Teredo
    ['http://[2001:2::1]/', false], // benchmarking
    ['http://[2001:10::1]/', false], // ORCHID
    ['http://[2001:20::1]/', false], // ORCHIDv2
    ['http://[3fff::1]/', false], // documentation (RFC 9637)
    ['http://[::ffff:0:5db8:d822]/', true], // IPv4-translated public 93.184.216.34
    ['http://[64:ff9b::5db8:d822]/', true], // well-known NAT64 of public 93.184.216.34
  ])('%s → allowed %s', async (url, allowed) => {
    const result = await checkWebhookUrl(url, [], lookup);
    expect(result.ok).toBe(allowed);
    if (!allowed) expect(result.problems.length).toBeGreaterThan(0);
  });

  it('lets hosts listed in WEBHOOK_ALLOWED_HOSTS through, by exact host name only', async () => {
    expect((await checkWebhookUrl('http://127.0.0.1:4567/hook', ['127.0.0.1'], lookup)).ok).toBe(true);
    expect((await checkWebhookUrl('http://receiver.intranet/hook', ['receiver.intranet'], lookup)).ok).toBe(true);
    expect((await checkWebhookUrl('http://127.0.0.2/hook', ['127.0.0.1'], lookup)).ok).toBe(false);
    expect((await checkWebhookUrl('http://localhost/hook', ['127.0.0.1'], lookup)).ok).toBe(false);
    expect((await checkWebhookUrl('ftp://127.0.0.1/hook', ['127.0.0.1'], lookup)).ok).toBe(false);
  });

  it('classifies addresses', () => {
    expect(forbiddenAddressReason('8.8.8.8')).toBeNull();
    expect(forbiddenAddressReason('2001:4860:4860::8888')).toBeNull();
    expect(forbiddenAddressReason('127.0.0.1')).toMatch(/not|private|loopback/);
    expect(forbiddenAddressReason('::ffff:192.168.1.1')).toMatch(/192\.168\.1\.1/);
    expect(forbiddenAddressReason('fe80::1%eth0')).not.toBeNull();
    expect(forbiddenAddressReason('example.com')).not.toBeNull();
  });
});
