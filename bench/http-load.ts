// autocannon ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<any>;
import { randomUUID } from 'node:crypto';
import { registration } from './dataset';
import { histogramPercentile, metric, type RunningService } from './service';
import { round, summarize } from './stats';

/**
 * The mixed lifecycle workload over HTTP: request k goes to project k mod N and is that
 * project's next step, so each pass over the projects moves every one of them one step through
 * 立项 → 批复 → 建设 → 调整备案 → 整改. Passes are far apart for any one project, so the
 * concurrency of 64 never makes two requests race on the same project.
 */
export async function httpWorkload(service: RunningService, projects: number, connections = 64) {
  // Construction cannot start before the design approval, which is decided today (Ordos time).
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const ids = Array.from({ length: projects }, () => randomUUID());
  const rectificationIds = ids.map(() => randomUUID());
  const office = service.token('OFFICE');
  const unitTokens = new Map<string, string>();
  const unit = (dept: string) => {
    let token = unitTokens.get(dept);
    if (!token) unitTokens.set(dept, (token = service.token('CONSTRUCTION_UNIT', dept)));
    return token;
  };
  const steps: Array<(i: number, id: string) => { path: string; body: object; token: string }> = [
    (i, id) => ({
      path: '/projects',
      // 第五条: the plan year is this year or next, of the clock the service runs on
      body: { ...registration(i, id), planYear: Number(today.slice(0, 4)) },
      token: unit(registration(i, id).departmentCode),
    }),
    (i, id) => ({
      path: `/projects/${id}/submit-proposal`,
      body: { documentRef: `JY-${i}` },
      token: unit(registration(i, id).departmentCode),
    }),
    (_i, id) => ({ path: `/projects/${id}/approve-proposal`, body: { opinion: '同意' }, token: office }),
    (i, id) => ({
      path: `/projects/${id}/submit-feasibility`,
      body: { documentRef: `KY-${i}` },
      token: unit(registration(i, id).departmentCode),
    }),
    (_i, id) => ({
      path: `/projects/${id}/review-sharing`,
      body: { shareable: true, opinion: '按目录共享' },
      token: office,
    }),
    (_i, id) => ({ path: `/projects/${id}/approve-feasibility`, body: { opinion: '同意' }, token: office }),
    (i, id) => ({
      path: `/projects/${id}/submit-preliminary-design`,
      body: {
        documentRef: `SJ-${i}`,
        estimateFen: registration(i, id).estimateFen,
        productSecurityStatement: '国产化',
        cryptoApplicationPlan: `MM-${i}`,
      },
      token: unit(registration(i, id).departmentCode),
    }),
    (i, id) => ({
      path: `/projects/${id}/review-preliminary-design`,
      body: { passed: true, verifiedEstimateFen: registration(i, id).estimateFen, opinion: '通过' },
      token: office,
    }),
    (i, id) => ({
      path: `/projects/${id}/approve-preliminary-design`,
      body: { opinion: '批复', approvedEstimateFen: registration(i, id).estimateFen },
      token: office,
    }),
    (i, id) => ({
      path: `/projects/${id}/assign-responsibility`,
      body: { implementingBody: '信息中心', responsiblePerson: '李四' },
      token: unit(registration(i, id).departmentCode),
    }),
    (i, id) => ({
      path: `/projects/${id}/start-construction`,
      body: { startedOn: today },
      token: unit(registration(i, id).departmentCode),
    }),
    (i, id) => ({
      path: `/projects/${id}/submit-performance-report`,
      body: {
        year: Number(today.slice(0, 4)),
        progressPercent: 40,
        investmentExecutedFen: 10_000_000,
        userOpinions: '满意',
      },
      token: unit(registration(i, id).departmentCode),
    }),
    (i, id) => ({
      path: `/projects/${id}/file-adjustment`,
      body: {
        reason: 'TECHNICAL_OPTIMIZATION',
        amountFen: 1_000_000,
        newTotalFen: registration(i, id).estimateFen,
        objectivesUnchanged: true,
        description: '优化技术方案',
      },
      token: unit(registration(i, id).departmentCode),
    }),
    (i, id) => ({
      path: `/projects/${id}/order-rectification`,
      body: {
        rectificationId: rectificationIds[i],
        findings: ['等保测评未完成'],
        deadline: `${Number(today.slice(0, 4)) + 1}-06-30`,
        article: '第二十七条',
      },
      token: office,
    }),
    (i, id) => ({
      path: `/projects/${id}/submit-rectification`,
      body: { rectificationId: rectificationIds[i], report: '已完成等保测评' },
      token: unit(registration(i, id).departmentCode),
    }),
  ];
  const amount = projects * steps.length;
  let k = 0;
  const statusCounts: Record<string, number> = {};
  // Reads while the writes arrive (issue 16): one reader, one request at a time, alternating the
  // dashboard summary and a filtered page of the list, until the write load has finished.
  let writing = true;
  const readSamples = { summary: [] as number[], list: [] as number[] };
  const reader = (async () => {
    for (let i = 0; writing; i++) {
      const kind = i % 2 === 0 ? 'summary' : 'list';
      const path = kind === 'summary' ? '/dashboard/summary' : `/projects?page=1&pageSize=20&sort=-updatedAt`;
      const t = process.hrtime.bigint();
      const r = await fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${office}` } });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${path} under load: ${r.status}`);
      readSamples[kind].push(Number(process.hrtime.bigint() - t) / 1e6);
      await new Promise((done) => setTimeout(done, 5));
    }
  })();
  const result = await autocannon({
    url: service.url,
    connections,
    amount,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (request: Record<string, unknown>) => {
          const n = k++;
          const project = n % projects;
          const step = steps[Math.floor(n / projects)] ?? steps[steps.length - 1];
          const { path, body, token } = step(project, ids[project]);
          return {
            ...request,
            method: 'POST',
            path,
            body: JSON.stringify(body),
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          };
        },
      },
    ],
  });
  writing = false;
  await reader;
  const underLoad = (samples: number[]) => {
    const s = summarize(samples);
    return { p50: round(s.p50), p99: round(s.p99), n: s.n };
  };
  for (const [code, count] of Object.entries(result.statusCodeStats ?? {}))
    statusCounts[code] = (count as { count: number }).count;
  // Wait for the projections to finish what is in flight, then read their lag figures.
  await new Promise((r) => setTimeout(r, 1000));
  const lagP99 = await histogramPercentile(service.url, 'ordos_projection_lag_seconds', 'projection="projects"', 99);
  const lagMax = await metric(service.url, 'ordos_projection_lag_max_seconds', 'projection="projects"');
  return {
    commands: result.requests.total,
    commandsPerSecond: Math.round(result.requests.total / (result.duration || 1)),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
    statusCounts,
    projectionLagP99Ms: lagP99 === undefined ? null : lagP99 * 1000,
    projectionLagMaxMs: lagMax === undefined ? null : Math.round(lagMax * 1000),
    summaryUnderLoad: underLoad(readSamples.summary),
    listUnderLoad: underLoad(readSamples.list),
    projects,
    connections,
  };
}
