import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../src/event-store/sqlite-event-store';
import { generate } from './dataset';
import { httpWorkload } from './http-load';
import { peerComparison } from './peer';
import { startService } from './service';
import { round, rssSampler, timeEach } from './stats';
import { pendingEvent } from './util';

/**
 * npm run bench [-- --quick]: every figure of the performance issue, measured on this machine
 * through the real code paths, printed with its target and written to bench/results.json.
 */
const quick = process.argv.includes('--quick');
const scale = quick
  ? {
      httpProjects: 1_000,
      projects: 10_000,
      events: 100_000,
      appendCallers: 64,
      appendsPerCaller: 150,
      bulkStreams: 200,
      peerStreams: 500,
      samples: 200,
    }
  : {
      httpProjects: 10_000,
      projects: 100_000,
      events: 1_000_000,
      appendCallers: 64,
      appendsPerCaller: 800,
      bulkStreams: 1_000,
      peerStreams: 2_000,
      samples: 500,
    };

type Row = { figure: string; value: string; target: string; met: boolean | null };
const rows: Row[] = [];
const results: Record<string, unknown> = {};
const row = (figure: string, value: string, target: string, met: boolean | null) => {
  rows.push({ figure, value, target, met });
  process.stderr.write(`  ${figure}: ${value}${target ? ` (target ${target})` : ''}\n`);
};
const log = (text: string) => process.stderr.write(`${text}\n`);

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'ordos-bench-'));
  let port = 39_000 + Math.floor(Math.random() * 1000);
  try {
    log(`ordos benchmark (${quick ? 'quick' : 'full'}) in ${root}`);

    log('append at the port');
    results.append = await appendBench(join(root, 'append.db'));

    log('peer: Emmett SQLite vs ours');
    // One caller at a time: Emmett opens a connection per call and concurrent callers fail with
    // SQLITE_BUSY, so the fair comparison is sequential for both.
    const peer = await peerComparison(root, scale.peerStreams, 5, 1);
    results.peer = peer;
    row(
      'append vs Emmett SQLite (events/s ratio)',
      `${peer.appendRatio}× (${peer.ours.appendEventsPerSecond} vs ${peer.emmett.appendEventsPerSecond})`,
      '≥ 2×',
      peer.appendRatio >= 2,
    );
    row(
      'read-back vs Emmett SQLite (events/s ratio)',
      `${peer.readRatio}× (${peer.ours.readEventsPerSecond} vs ${peer.emmett.readEventsPerSecond})`,
      '',
      null,
    );

    log(`commands over HTTP: ${scale.httpProjects} projects, 64 connections`);
    const http = await startService(join(root, 'http'), port++);
    try {
      const load = await httpWorkload(http, scale.httpProjects, 64);
      results.http = load;
      row('commands/s over HTTP', String(load.commandsPerSecond), '≥ 5,000', load.commandsPerSecond >= 5000);
      row(
        'command latency p50 / p99 (ms)',
        `${load.latencyP50Ms} / ${load.latencyP99Ms}`,
        'p99 ≤ 25',
        load.latencyP99Ms <= 25,
      );
      row(
        'projection lag p99 / max (ms)',
        `≤ ${load.projectionLagP99Ms} / ${load.projectionLagMaxMs}`,
        'p99 ≤ 250',
        load.projectionLagP99Ms !== null && load.projectionLagP99Ms <= 250,
      );
      for (const [name, r] of [
        ['dashboard summary', load.summaryUnderLoad],
        ['list page', load.listUnderLoad],
      ] as const)
        row(
          `${name} while that write load runs p50 / p99 (ms, ${r.n} samples)`,
          `${r.p50} / ${r.p99}`,
          'p99 ≤ 10',
          r.n > 0 && r.p99 <= 10,
        );
      row('non-2xx answers', `${load.errors} ${JSON.stringify(load.statusCounts)}`, '0', load.errors === 0);
    } finally {
      await http.stop();
    }

    log(`dataset: ${scale.projects} projects through decide() + append`);
    const dataDir = join(root, 'data');
    const store = SqliteEventStore.open(join(dataDir, 'events.db'));
    let t = process.hrtime.bigint();
    const dataset = await generate(store, {
      projects: scale.projects,
      minEvents: scale.events,
      eventsPerProject: 11,
      longProjectEvents: 1000,
    });
    const genSeconds = Number(process.hrtime.bigint() - t) / 1e9;
    await store.close();
    const projectCount = dataset.projectIds.length + 1;
    results.dataset = { projects: projectCount, events: dataset.events, seconds: round(genSeconds) };
    row(
      'dataset generated (decide + bulk append, events/s)',
      `${Math.round(dataset.events / genSeconds)} (${dataset.events} events)`,
      '',
      null,
    );

    log('projection rebuild of every read model');
    const rebuild = JSON.parse(
      execFileSync(
        process.execPath,
        [join(__dirname, 'rebuild-child.js'), join(dataDir, 'events.db'), join(dataDir, 'read-models.db')],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      ),
    ) as { seconds: number; peakRssMb: number };
    const rebuildRate = Math.round(dataset.events / rebuild.seconds);
    results.rebuild = { ...rebuild, eventsPerSecond: rebuildRate, events: dataset.events };
    row(`rebuild from ${dataset.events} events (events/s)`, String(rebuildRate), '≥ 100,000', rebuildRate >= 100_000);
    row('rebuild peak RSS (MB)', String(rebuild.peakRssMb), '', null);

    log('start-up with the stored events');
    const service = await startService(dataDir, port++);
    try {
      const replayed = await (await fetch(`${service.url}/metrics`)).text();
      const applied = replayed
        .split('\n')
        .filter((l) => l.startsWith('ordos_projection_events_total{'))
        .reduce((s, l) => s + Number(l.split(' ').pop()), 0);
      results.startup = { ms: round(service.startupMs), eventsReplayed: applied };
      row(
        `start-up with ${dataset.events} events (ms)`,
        `${round(service.startupMs, 0)} (events re-applied: ${applied})`,
        '≤ 2,000',
        service.startupMs <= 2000 && applied === 0,
      );

      log('queries');
      const office = service.token('OFFICE');
      const get = (path: string, token = office) =>
        fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => {
          if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
          return r.arrayBuffer();
        });
      const statuses = ['UNDER_CONSTRUCTION', 'PROPOSAL', 'APPROVED', 'FEASIBILITY'];
      const list = await timeEach(scale.samples, (i) =>
        get(`/projects?status=${statuses[i % 4]}&category=SOFTWARE&page=${1 + (i % 50)}&pageSize=20&sort=-updatedAt`),
      );
      const search = await timeEach(scale.samples, (i) =>
        get(`/projects?q=${encodeURIComponent(['政务云', '信用', '医保'][i % 3])}&page=1&pageSize=20`),
      );
      const dashboard = await timeEach(scale.samples, () => get('/dashboard/summary'));
      const detail = await timeEach(scale.samples, (i) =>
        get(`/projects/${dataset.projectIds[(i * 7919) % dataset.projectIds.length]}`),
      );
      results.queries = { list, search, dashboard, detail, projects: projectCount };
      row(
        `list with filters + paging p50 / p99 (ms, ${projectCount} projects)`,
        `${list.p50} / ${list.p99}`,
        'p99 ≤ 10',
        list.p99 <= 10,
      );
      row('list with name search p50 / p99 (ms)', `${search.p50} / ${search.p99}`, '', null);
      row('dashboard summary p50 / p99 (ms)', `${dashboard.p50} / ${dashboard.p99}`, 'p99 ≤ 10', dashboard.p99 <= 10);
      row('project detail p50 / p99 (ms)', `${detail.p50} / ${detail.p99}`, 'p99 ≤ 10', detail.p99 <= 10);

      log('audit');
      const audit = service.token('AUDIT');
      const history = await timeEach(scale.samples, () => get(`/projects/${dataset.longProjectId}/history`, audit));
      const asOf = await timeEach(scale.samples, (i) => {
        const at = new Date(Date.parse('2026-01-05T01:00:00Z') + (i % 1000) * 3_600_000).toISOString();
        return get(`/projects/${dataset.longProjectId}/state?asOf=${encodeURIComponent(at)}`, audit);
      });
      results.audit = { history, stateAsOf: asOf, events: 1000 };
      row(
        'history of a 1,000-event project p50 / p99 (ms)',
        `${history.p50} / ${history.p99}`,
        '≤ 5',
        history.p99 <= 5,
      );
      row('state?asOf of a 1,000-event project p50 / p99 (ms)', `${asOf.p50} / ${asOf.p99}`, '≤ 5', asOf.p99 <= 5);

      const rss = rssSampler(service.child.pid);
      t = process.hrtime.bigint();
      const response = await fetch(`${service.url}/audit/export?format=jsonl`, {
        headers: { authorization: `Bearer ${audit}` },
      });
      let lines = 0;
      const reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const byte of value) if (byte === 10) lines++;
      }
      const exportSeconds = Number(process.hrtime.bigint() - t) / 1e9;
      const memory = rss.stop();
      const exportRate = Math.round(lines / exportSeconds);
      results.export = {
        events: lines,
        seconds: round(exportSeconds),
        eventsPerSecond: exportRate,
        serviceRssMb: memory,
      };
      row(`export of ${lines} events (events/s)`, String(exportRate), '≥ 100,000', exportRate >= 100_000);
      row(
        'service RSS during export, start → peak (MB)',
        `${memory.startMb} → ${memory.peakMb}`,
        '< 300',
        memory.peakMb < 300,
      );

      // Issue 14: the same log as an Excel workbook, streamed through exceljs's WorkbookWriter.
      const xlsxRss = rssSampler(service.child.pid);
      t = process.hrtime.bigint();
      const workbook = await fetch(`${service.url}/audit/export?format=xlsx`, {
        headers: { authorization: `Bearer ${audit}` },
      });
      let bytes = 0;
      const xlsxReader = workbook.body!.getReader();
      for (;;) {
        const { done, value } = await xlsxReader.read();
        if (done) break;
        bytes += value.length;
      }
      const xlsxSeconds = Number(process.hrtime.bigint() - t) / 1e9;
      const xlsxMemory = xlsxRss.stop();
      results.exportXlsx = {
        events: lines,
        seconds: round(xlsxSeconds),
        megabytes: round(bytes / 1e6),
        serviceRssMb: xlsxMemory,
      };
      row(`xlsx export of ${lines} events (s, MB file)`, `${round(xlsxSeconds)} s, ${round(bytes / 1e6)} MB`, '', null);
      row(
        'service RSS during xlsx export, start → peak (MB)',
        `${xlsxMemory.startMb} → ${xlsxMemory.peakMb}`,
        '',
        null,
      );
    } finally {
      await service.stop();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  report();
}

async function appendBench(file: string) {
  const store = SqliteEventStore.open(file);
  let t = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: scale.appendCallers }, async (_, c) => {
      for (let i = 0; i < scale.appendsPerCaller; i++)
        await store.append(`c${c}-${i}`, [pendingEvent('ProposalSubmitted', { documentRef: `D-${i}` })], 'no_stream');
    }),
  );
  const single = (scale.appendCallers * scale.appendsPerCaller) / (Number(process.hrtime.bigint() - t) / 1e9);
  t = process.hrtime.bigint();
  const batch = Array.from({ length: 100 }, (_, i) => pendingEvent('ComplianceRecorded', { i }));
  await Promise.all(Array.from({ length: scale.bulkStreams }, (_, s) => store.append(`bulk-${s}`, batch, 'no_stream')));
  const bulk = (scale.bulkStreams * 100) / (Number(process.hrtime.bigint() - t) / 1e9);
  await store.close();
  row(
    `append, ${scale.appendCallers} concurrent single-event commands (events/s)`,
    String(Math.round(single)),
    '',
    null,
  );
  row('append, bulk import of 100-event streams (events/s)', String(Math.round(bulk)), '', null);
  return {
    singleEventsPerSecond: Math.round(single),
    bulkEventsPerSecond: Math.round(bulk),
    callers: scale.appendCallers,
  };
}

function report(): void {
  const cpu = cpus();
  const machine = {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  const sqlite = (new Database(':memory:').prepare('select sqlite_version() v').get() as { v: string }).v;
  const output = {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine,
    versions: { node: process.version, sqlite },
    figures: rows,
    ...results,
  };
  writeFileSync(join(__dirname, '..', '..', 'bench', 'results.json'), `${JSON.stringify(output, null, 2)}\n`);
  const width = Math.max(...rows.map((r) => r.figure.length));
  process.stdout.write(`\nMachine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, SQLite ${sqlite}\n\n`);
  for (const r of rows) {
    const mark = r.met === null ? '  ' : r.met ? 'ok' : 'MISSED';
    const target = r.target ? `target ${r.target}` : '';
    process.stdout.write(`${r.figure.padEnd(width)}  ${r.value.padEnd(28)}  ${target}  ${r.target ? mark : ''}\n`);
  }
  process.stdout.write('\nWritten to bench/results.json\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
