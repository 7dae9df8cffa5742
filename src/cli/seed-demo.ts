/**
 * Generates a realistic demonstration portfolio THROUGH THE HTTP API of a running service
 * (`npm start`, then `npm run seed-demo`). Tokens are signed with the same configuration the
 * service uses (JWT_SECRET, or the development default).
 *
 * With a service started with TEST_CLOCK=1 the seed walks time: most projects are started in
 * early 2025 so that acceptance (第二十一条), performance reports (第十七条) and rectifications
 * (第二十七条) are overdue today; the clock is put back to the real time at the end.
 *
 *   BASE_URL   default http://localhost:$PORT (3000)
 *   SEED_COUNT number of projects, default 60
 *   SEED       random seed, default 20260301
 */
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../infrastructure/config';
import { DEMO_DEPARTMENTS } from '../web/departments';

const config = loadConfig();
const BASE = (process.env.BASE_URL || `http://localhost:${config.port}`).replace(/\/$/, '');
const COUNT = Number(process.env.SEED_COUNT || 60);
const jwt = new JwtService({ secret: config.jwtSecret });

let seed = Number(process.env.SEED || 20260301);
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pickOne = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

const token = (role: string, department?: string) =>
  jwt.sign(
    {
      sub: `seed-${role.toLowerCase()}${department ? `-${department}` : ''}`,
      name: department ? `${deptName(department)}项目负责人` : (SEED_NAMES[role] ?? role),
      role,
      ...(department ? { department } : {}),
    },
    { expiresIn: '1h' },
  );
const SEED_NAMES: Record<string, string> = {
  OFFICE: '王主任（领导小组办公室）',
  SUPERVISOR: '孙处长（网信办）',
  FINANCE: '赵科长（市财政局）',
  LEADING_GROUP: '李组长（领导小组）',
};
const deptName = (code: string) => DEMO_DEPARTMENTS.find((d) => d.code === code)?.name ?? code;

async function call<T = unknown>(method: string, path: string, tok: string, body?: unknown): Promise<T> {
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${tok}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok)
    throw Object.assign(
      new Error(`${method} ${path} → ${response.status} ${json?.code ?? ''} ${json?.detail ?? text}`),
      { status: response.status },
    );
  return json;
}

const SYSTEMS: Record<string, string[]> = {
  D01: ['城市大脑数据中台', '政务数据共享交换平台', '一体化政务云平台扩容', '数据资源目录系统'],
  D02: ['智慧交警视频联网平台', '人口信息综合应用系统', '网络安全态势感知平台', '社会治安防控系统'],
  D03: ['全民健康信息平台', '电子健康档案系统升级', '医疗机构监管平台', '互联网医院服务平台'],
  D04: ['智慧教育云平台', '中小学学籍管理系统', '教育视频会议系统', '校园安全监测平台'],
  D05: ['国土空间基础信息平台', '不动产登记信息系统', '自然资源卫星遥感监测系统'],
  D06: ['综合交通运行监测中心', '公交智能调度系统', '道路运输电子证照系统'],
  D07: ['社会保障卡一卡通平台', '就业服务信息系统', '人社业务经办系统升级'],
  D08: ['智慧市场监管平台', '食品安全追溯系统', '企业信用信息公示系统'],
  D09: ['应急指挥综合平台', '安全生产风险监测预警系统', '森林草原防火监测系统'],
  D10: ['政务服务一网通办平台', '12345政务服务热线系统', '电子证照库', '“蒙速办”移动端升级'],
};
const CATEGORY_OF = (name: string) =>
  /云|视频联网|机房|网络/.test(name)
    ? 'INFRASTRUCTURE'
    : /运维|运营|热线/.test(name)
      ? 'OPERATIONS'
      : /监测|测评|咨询/.test(name) && rand() < 0.3
        ? 'THIRD_PARTY'
        : 'SOFTWARE';

type Stage =
  | 'DRAFT'
  | 'PROPOSAL_SUBMITTED'
  | 'PROPOSAL_APPROVED'
  | 'FEASIBILITY_APPROVED'
  | 'DESIGN_SUBMITTED'
  | 'APPROVED'
  | 'UNDER_CONSTRUCTION'
  | 'COMPLETED'
  | 'ACCEPTED'
  | 'ASSET_REGISTERED'
  | 'REJECTED'
  | 'SUSPENDED'
  | 'TERMINATED';
const STAGES: Array<[Stage, number]> = [
  ['DRAFT', 4],
  ['PROPOSAL_SUBMITTED', 6],
  ['PROPOSAL_APPROVED', 3],
  ['FEASIBILITY_APPROVED', 4],
  ['DESIGN_SUBMITTED', 4],
  ['APPROVED', 4],
  ['UNDER_CONSTRUCTION', 16],
  ['COMPLETED', 8],
  ['ACCEPTED', 4],
  ['ASSET_REGISTERED', 4],
  ['REJECTED', 2],
  ['SUSPENDED', 2],
  ['TERMINATED', 1],
];
function drawStage(): Stage {
  const total = STAGES.reduce((s, [, w]) => s + w, 0);
  let x = rand() * total;
  for (const [s, w] of STAGES) if ((x -= w) < 0) return s;
  return 'DRAFT';
}
const ORDER: Stage[] = [
  'DRAFT',
  'PROPOSAL_SUBMITTED',
  'PROPOSAL_APPROVED',
  'FEASIBILITY_APPROVED',
  'DESIGN_SUBMITTED',
  'APPROVED',
  'UNDER_CONSTRUCTION',
  'COMPLETED',
  'ACCEPTED',
  'ASSET_REGISTERED',
];
const reach = (target: Stage, step: Stage) => {
  const t =
    target === 'SUSPENDED'
      ? 'UNDER_CONSTRUCTION'
      : target === 'REJECTED'
        ? 'PROPOSAL_SUBMITTED'
        : target === 'TERMINATED'
          ? 'APPROVED'
          : target;
  return ORDER.indexOf(t) >= ORDER.indexOf(step);
};

async function setClock(now: Date | null, office: string, available: boolean): Promise<void> {
  if (!available) return;
  await call('PUT', '/admin/test-clock', office, { now: (now ?? new Date()).toISOString() });
}

async function main(): Promise<void> {
  const office = token('OFFICE');
  try {
    await call('GET', '/health', office);
  } catch {
    throw new Error(
      `No service at ${BASE}. Start it first (npm start, or TEST_CLOCK=1 npm start for overdue examples).`,
    );
  }
  let clock = true;
  try {
    await call('PUT', '/admin/test-clock', office, { now: '2025-02-10T09:00:00+08:00' });
  } catch {
    clock = false;
  }
  process.stdout.write(
    `Seeding ${COUNT} projects into ${BASE}` +
      (clock
        ? ' (test clock: back-dating to 2025 for overdue examples)'
        : ' (no test clock: everything happens today, nothing overdue; start with TEST_CLOCK=1 for overdue examples)') +
      '\n',
  );

  const projects: Array<{ id: string; dept: string; target: Stage; estimate: number; old: boolean; name: string }> = [];
  for (let i = 0; i < COUNT; i++) {
    const dept = DEMO_DEPARTMENTS[i % DEMO_DEPARTMENTS.length].code;
    const base = pickOne(SYSTEMS[dept]);
    const phase = pickOne(['', '（一期）', '（二期）', '升级改造', '']);
    const name = `鄂尔多斯市${base}${phase}`;
    const estimateYuan = pickOne([
      800_000, 1_200_000, 1_800_000, 2_600_000, 3_500_000, 4_800_000, 6_500_000, 9_000_000, 15_000_000, 28_000_000,
    ]);
    const target = drawStage();
    const old =
      (clock && ORDER.indexOf(target) >= ORDER.indexOf('UNDER_CONSTRUCTION')) ||
      (clock && ['SUSPENDED'].includes(target));
    projects.push({ id: randomUUID(), dept, target, estimate: estimateYuan * 100, old, name });
  }

  const run = async (p: (typeof projects)[number], phase: 'old' | 'now') => {
    const unit = token('CONSTRUCTION_UNIT', p.dept);
    const post = (path: string, tok: string, body: object) => call('POST', `/projects/${p.id}/${path}`, tok, body);
    const today = (d = 0) =>
      new Date(
        Date.now() +
          (phase === 'old' ? Date.parse('2025-02-10T09:00:00+08:00') - Date.now() : 0) +
          8 * 3_600_000 +
          d * 86_400_000,
      )
        .toISOString()
        .slice(0, 10);
    const name = p.name;
    await call('POST', '/projects', unit, {
      projectId: p.id,
      name,
      category: CATEGORY_OF(name),
      departmentCode: p.dept,
      planYear: phase === 'old' ? 2025 : 2026,
      nature: pickOne(['NEW', 'UPGRADE', 'CONTINUATION']),
      estimateFen: p.estimate,
      basis: '《数字鄂尔多斯建设规划（2020—2025年）》',
      schedule: phase === 'old' ? '2025年3月至2025年12月' : '2026年4月至2026年12月',
      cloudResources: `政务云 ${pickOne([8, 16, 32])}核${pickOne([32, 64, 128])}G`,
      dataSharing: '向市数据共享交换平台共享业务数据',
      networkNeeds: '电子政务外网',
      omGuarantee: '建设单位运维团队',
      followsMasterPlan: rand() > 0.1,
    });
    if (p.target === 'DRAFT') return;
    await post('submit-proposal', unit, { documentRef: `JY-${p.id.slice(0, 6)}` });
    if (p.target === 'REJECTED')
      return void (await post('reject-proposal', office, { opinion: '建设必要性论证不充分，与已有系统内容重复' }));
    if (!reach(p.target, 'PROPOSAL_APPROVED')) return;
    await post('approve-proposal', office, { opinion: '同意开展前期工作' });
    if (!reach(p.target, 'FEASIBILITY_APPROVED'))
      return void (rand() < 0.5 && (await post('submit-feasibility', unit, { documentRef: `KY-${p.id.slice(0, 6)}` })));
    await post('submit-feasibility', unit, { documentRef: `KY-${p.id.slice(0, 6)}` });
    await post('review-sharing', office, { shareable: true, opinion: '数据资源按目录共享' });
    await post('approve-feasibility', office, { opinion: '可研批复' });
    if (!reach(p.target, 'DESIGN_SUBMITTED')) return;
    await post('submit-preliminary-design', unit, {
      documentRef: `CS-${p.id.slice(0, 6)}`,
      estimateFen: p.estimate,
      productSecurityStatement: '采用安全可靠的国产软硬件产品',
      cryptoApplicationPlan: `MM-${p.id.slice(0, 6)} 密码应用方案`,
    });
    if (!reach(p.target, 'APPROVED')) return;
    const approved = Math.round(p.estimate * pickOne([0.92, 0.95, 0.97, 1]));
    await post('review-preliminary-design', office, {
      passed: true,
      verifiedEstimateFen: approved,
      opinion: '评审核价通过',
    });
    await post('approve-preliminary-design', office, { opinion: '同意初步设计', approvedEstimateFen: approved });
    await post('assign-responsibility', unit, {
      implementingBody: `${deptName(p.dept)}信息中心`,
      responsiblePerson: pickOne(['张伟', '王芳', '李娜', '刘洋', '陈静', '杨军']),
    });
    if (approved >= 200_000_000)
      await post('engage-supervision', unit, {
        supervisionUnit: pickOne(['内蒙古信达监理有限公司', '北方工程监理咨询有限公司']),
        contractRef: `JL-${p.id.slice(0, 6)}`,
      });
    if (p.target === 'TERMINATED') {
      // 第二十七条: termination rests on a rectification that was ordered, reported and rejected
      const rectificationId = randomUUID();
      await post('order-rectification', office, {
        rectificationId,
        findings: ['建设内容与批复的初步设计不符'],
        deadline: today(30),
        article: '第十九条',
      });
      await post('submit-rectification', unit, { rectificationId, report: '已调整建设内容' });
      await post('verify-rectification', office, { rectificationId, passed: false, opinion: '整改后仍不符合要求' });
      return void (await post('terminate', office, {
        reason: '整改后仍不符合要求，终止项目',
        basis: { rectificationId },
      }));
    }
    if (!reach(p.target, 'UNDER_CONSTRUCTION')) return;
    await post('start-construction', unit, { startedOn: today() });
    if (rand() < 0.35)
      await post('file-adjustment', unit, {
        reason: 'TECHNICAL_OPTIMIZATION',
        amountFen: Math.round(approved * 0.05),
        newTotalFen: approved,
        objectivesUnchanged: true,
        description: '优化部署架构，调整硬件采购为云资源租用',
      });
    if (rand() < 0.3)
      await post('order-rectification', pickOne([office, token('SUPERVISOR')]), {
        findings: [pickOne(['未同步建设密码保障系统', '未按要求接入数据共享交换平台', '等级保护测评未完成'])],
        deadline: today(60),
        article: pickOne(['第十二条', '第二十四条', '第十一条']),
      });
    if (p.target === 'SUSPENDED') {
      // 第十八条: the unit reports the serious delay; the office decides to suspend on it
      const incidentId = randomUUID();
      await post('report-incident', unit, { incidentId, kind: 'SERIOUS_DELAY', description: '项目进度严重滞后' });
      return void (await post('decide-incident', office, {
        incidentId,
        decision: 'SUSPEND',
        opinion: '项目进度严重滞后，暂停建设限期整改',
      }));
    }
    if (!reach(p.target, 'COMPLETED')) return;
    await post('complete-construction', unit, { completedOn: today(), surplusFen: Math.round(approved * 0.02) });
  };

  const finish = async (p: (typeof projects)[number]) => {
    const unit = token('CONSTRUCTION_UNIT', p.dept);
    const post = (path: string, tok: string, body: object) => call('POST', `/projects/${p.id}/${path}`, tok, body);
    if (!reach(p.target, 'ACCEPTED')) return;
    await post('agree-acceptance-plan', office, {
      method: '专家评审',
      experts: ['李明', '王芳', '张伟'],
      materials: ['验收报告', '建设总结'],
    });
    await post('record-archive-acceptance', office, { passed: true, opinion: '档案齐全' });
    // 第二十一条: the construction unit organizes the acceptance on the agreed plan and records it.
    await post('record-acceptance', unit, {
      passed: true,
      opinion: '同意通过验收',
      keyContent: {
        productSecurityReliability: '核心软硬件均为安全可靠产品',
        cryptoAssessmentPassed: true,
        securityReviewPassed: true,
        ...(CATEGORY_OF(p.name) === 'INFRASTRUCTURE' ? { energyEfficiency: '机房 PUE 1.3，设备符合能效标准' } : {}),
      },
      materials: {
        acceptanceReport: 'YS-1',
        constructionSummary: 'ZJ-1',
        biddingAndContracts: 'ZB-1',
        processDocuments: 'GC-1',
        financialReport: 'CW-1',
        securityAssessmentReport: 'DB-1',
        cryptoAssessmentReport: 'MP-1',
      },
    });
    if (p.target === 'ASSET_REGISTERED') {
      const detail = await call<{ currentTotalFen?: number; surplus?: { surplusFen?: number } }>(
        'GET',
        `/projects/${p.id}?minRevision=0`,
        office,
      );
      await post('register-asset', unit, {
        assetClass: 'INTANGIBLE',
        costFen: (detail.currentTotalFen ?? p.estimate) - (detail.surplus?.surplusFen ?? 0),
      });
    }
  };

  let done = 0;
  const failures: string[] = [];
  const attempt = async (label: string, f: () => Promise<void>) => {
    try {
      await f();
    } catch (error) {
      failures.push(`${label}: ${(error as Error).message}`);
    }
  };
  // Phase 1: the back-dated part (2025), when the clock can be set.
  for (const p of projects.filter((x) => x.old)) await attempt(p.name, () => run(p, 'old'));
  // Phase 2: today.
  await setClock(null, office, clock);
  for (const p of projects.filter((x) => !x.old)) await attempt(p.name, () => run(p, 'now'));
  for (const p of projects) {
    await attempt(p.name, () => finish(p));
    if (++done % 10 === 0) process.stdout.write(`  ${done}/${projects.length}\n`);
  }
  const summary = await call<{ total: number; overdue: { projects: number } }>('GET', '/dashboard/summary', office);
  process.stdout.write(
    `Done: ${summary.total} projects in the portfolio, ${summary.overdue.projects} with overdue items.\n`,
  );
  if (failures.length)
    process.stdout.write(`${failures.length} steps were refused:\n  ${failures.slice(0, 10).join('\n  ')}\n`);
  process.stdout.write(`Open ${BASE}/ and sign in with a development identity.\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`seed-demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
