import { randomUUID } from 'node:crypto';
import {
  localDateOf,
  projectDecider,
  projectStreamId,
  type Actor,
  type ProjectCommand,
  type ProjectEvent,
  type ProjectState,
} from '../src/domain';
import type { PendingEvent } from '../src/event-store/envelope';
import type { EventStore } from '../src/event-store/event-store.port';
import { SCHEMA_VERSION } from '../src/commands/stream-command-handler';

/**
 * Realistic data through the real decision code: every event below was decided by the domain's
 * decide() on the state folded with its evolve(), exactly as the command handler does, and
 * appended through the event-store port with its hash chain.
 */
export const DEPARTMENTS = Array.from({ length: 24 }, (_, i) => `D${String(i + 1).padStart(2, '0')}`);
const CATEGORIES = ['INFRASTRUCTURE', 'SOFTWARE', 'OPERATIONS', 'THIRD_PARTY'] as const;
const NAMES = [
  '政务服务一网通办平台',
  '城市运行监测中心',
  '数据共享交换平台',
  '电子政务外网升级',
  '政务云扩容',
  '视频会议系统',
  '公共信用信息平台',
  '智慧医保监管系统',
  '不动产登记信息系统',
  '应急指挥调度平台',
];

const unit = (department: string): Actor => ({
  sub: `unit-${department}`,
  name: `${department} 建设单位`,
  role: 'CONSTRUCTION_UNIT',
  department,
});
const office: Actor = { sub: 'office-1', name: '领导小组办公室', role: 'OFFICE' };

export function registration(i: number, projectId: string) {
  const department = DEPARTMENTS[i % DEPARTMENTS.length];
  return {
    projectId,
    name: `鄂尔多斯市${NAMES[i % NAMES.length]}（${i}）`,
    category: CATEGORIES[i % CATEGORIES.length],
    departmentCode: department,
    planYear: 2026,
    nature: (['NEW', 'UPGRADE', 'CONTINUATION'] as const)[i % 3],
    // 1,000,000–1,990,000 yuan: below the supervision threshold, so the lifecycle needs none.
    estimateFen: 100_000_000 + (i % 100) * 900_000,
    basis: '《数字鄂尔多斯建设规划》',
    schedule: '2026年内完成',
    cloudResources: '政务云 8核32G ×2',
    dataSharing: '接入共享交换平台',
    networkNeeds: '电子政务外网',
    omGuarantee: '运维团队2人',
    followsMasterPlan: true,
  };
}

/** decideAll decides a project's commands one hour apart from its first instant. */
const STEP_MS = 3_600_000;

/**
 * The commands of one project's life, up to `steps` of them (11 reach construction), the first
 * decided at `startMs`. Construction starts the day it is recorded (the eleventh command's Ordos
 * date): not before the design approval an hour or two earlier, nor after that day (第八条).
 */
export function lifecycle(
  i: number,
  projectId: string,
  steps: number,
  startMs: number,
): Array<{ type: string; data: Record<string, unknown>; actor: Actor }> {
  const startedOn = localDateOf(new Date(startMs + 10 * STEP_MS).toISOString());
  const reg = registration(i, projectId);
  const u = unit(reg.departmentCode);
  const all = [
    { type: 'RegisterProject', data: reg, actor: u },
    { type: 'SubmitProposal', data: { documentRef: `JY-${i}` }, actor: u },
    { type: 'ApproveProposal', data: { opinion: '同意' }, actor: office },
    { type: 'SubmitFeasibilityStudy', data: { documentRef: `KY-${i}` }, actor: u },
    { type: 'ReviewSharing', data: { shareable: true, opinion: '按目录共享' }, actor: office },
    { type: 'ApproveFeasibility', data: { opinion: '同意' }, actor: office },
    {
      type: 'SubmitPreliminaryDesign',
      data: {
        documentRef: `SJ-${i}`,
        estimateFen: reg.estimateFen,
        productSecurityStatement: '国产化产品',
        cryptoApplicationPlan: `MM-${i}`,
      },
      actor: u,
    },
    {
      type: 'ReviewPreliminaryDesign',
      data: { passed: true, verifiedEstimateFen: reg.estimateFen, opinion: '通过' },
      actor: office,
    },
    {
      type: 'ApprovePreliminaryDesign',
      data: { opinion: '批复', approvedEstimateFen: reg.estimateFen },
      actor: office,
    },
    { type: 'AssignResponsibility', data: { implementingBody: '信息中心', responsiblePerson: '张三' }, actor: u },
    { type: 'StartConstruction', data: { startedOn }, actor: u },
  ];
  return all.slice(0, steps).map((c) => ({ ...c, data: { ...c.data, projectId } }));
}

export interface GenerateOptions {
  /** At least this many projects… */
  projects: number;
  /** …and more until at least this many events are stored. */
  minEvents?: number;
  /** Events per project on average (1–11 lifecycle steps; the mix spreads statuses). */
  eventsPerProject: number;
  /** One extra project with this many events (history/state benchmarks). */
  longProjectEvents: number;
  onProgress?: (events: number) => void;
}

/** Folds, decides and appends; concurrent appends are group-committed by the SQLite store. */
export async function generate(
  store: EventStore,
  options: GenerateOptions,
): Promise<{ events: number; projectIds: string[]; longProjectId: string }> {
  const projectIds: string[] = [];
  let events = 0;
  const started = Date.parse('2026-01-05T01:00:00Z');
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < options.projects || events + options.longProjectEvents < (options.minEvents ?? 0); i++) {
    const projectId = randomUUID();
    projectIds.push(projectId);
    // Spread the statuses: most projects get the full 11 steps, some stop earlier.
    const steps = i % 5 === 0 ? 1 + (i % 10) : Math.min(11, options.eventsPerProject);
    const pendings = decideAll(projectId, lifecycle(i, projectId, steps, started + i * 1000), started + i * 1000);
    events += pendings.length;
    inFlight.push(store.append(projectStreamId(projectId), pendings, 'no_stream'));
    if (inFlight.length >= 512) {
      await Promise.all(inFlight.splice(0));
      options.onProgress?.(events);
    }
  }
  await Promise.all(inFlight);
  const longProjectId = randomUUID();
  const long = lifecycle(projectIds.length, longProjectId, 11, started);
  for (let k = long.length; k < options.longProjectEvents; k++) {
    long.push({
      type: 'RecordCompliance',
      data: {
        projectId: longProjectId,
        sharesData: k % 7 !== 0,
        duplicateCollection: false,
        inCatalogue: true,
        cryptoAssessmentPassed: true,
        securityAssessmentPassed: k % 11 !== 0,
        majorSecurityHazard: false,
      },
      actor: office,
    });
  }
  const longEvents = decideAll(longProjectId, long, started);
  await store.append(projectStreamId(longProjectId), longEvents, 'no_stream');
  events += longEvents.length;
  options.onProgress?.(events);
  return { events, projectIds, longProjectId };
}

function decideAll(projectId: string, commands: ReturnType<typeof lifecycle>, startMs: number): PendingEvent[] {
  let state: ProjectState = projectDecider.initialState();
  const out: PendingEvent[] = [];
  commands.forEach((command, k) => {
    const now = new Date(startMs + k * STEP_MS).toISOString();
    const decided = projectDecider.decide(
      { type: command.type, data: command.data, metadata: { now, actor: command.actor } } as ProjectCommand,
      state,
    );
    for (const d of decided) {
      state = projectDecider.evolve(state, { type: d.type, data: d.data } as ProjectEvent);
      out.push({
        type: d.type,
        data: d.data as Record<string, unknown>,
        metadata: {
          eventId: randomUUID(),
          occurredAt: now,
          actor: command.actor,
          correlationId: randomUUID(),
          causationId: randomUUID(),
          ...(d.article ? { article: d.article } : {}),
          policy: d.policy,
          ...(d.policyLapsed ? { policyLapsed: true } : {}),
          schemaVersion: SCHEMA_VERSION,
        },
      });
    }
  });
  void projectId;
  return out;
}
