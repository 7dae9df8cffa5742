/**
 * 第七条 跨部门共建共享的项目: the lead department, with the participating departments, draws up
 * one framework plan (参建部门、建设目标、主体内容、业务流、数据流及系统接口、初步数据目录) and
 * files it jointly with the office; 确保各部门建设内容无重复交叉. Each participant confirms it
 * (联合报), the office acknowledges it; then each department applies for its own part.
 */
import { CommandDefinition, DecisionContext, EventDefinition } from '../definitions';
import { defineRules, refusal } from '../rule';
import { BEFORE_ANY_DECISION, SharedRuleCode, recordedBy } from '../shared';
import { hasVisibleText } from '../text';
import {
  ContentByDepartment,
  FrameworkCommandOf,
  FrameworkCommandType,
  FrameworkEvent,
  FrameworkEventOf,
  FrameworkEventType,
  FrameworkState,
} from './types';

const FRAMEWORK = '第七条';

export const frameworkRules = defineRules({
  FRAMEWORK_EXISTS: {
    kind: 'CONFLICT',
    article: FRAMEWORK,
    zh: '框架方案已报送',
    en: 'the framework is already filed',
  },
  FRAMEWORK_NOT_FOUND: {
    kind: 'NOT_FOUND',
    article: FRAMEWORK,
    zh: '无此跨部门框架方案',
    en: 'no such cross-department framework',
  },
  FRAMEWORK_PARTICIPANTS_INVALID: {
    kind: 'RULE_VIOLATION',
    article: FRAMEWORK,
    zh: '框架方案须确定牵头部门以外的参建部门，且不得重复',
    en: 'a framework names at least one participating department besides the lead, each once',
  },
  FRAMEWORK_INCOMPLETE: {
    kind: 'RULE_VIOLATION',
    article: FRAMEWORK,
    zh: '框架方案须确定建设目标、主体内容，明确业务流、数据流及系统接口，初步形成数据目录',
    en: 'a framework states objectives, main content, business and data flows, interfaces, an initial data catalogue',
  },
  FRAMEWORK_CONTENT_DEPARTMENT_UNKNOWN: {
    kind: 'RULE_VIOLATION',
    article: FRAMEWORK,
    zh: '主体内容只能分配给牵头部门或参建部门',
    en: 'main content belongs to the lead or a participating department only',
  },
  FRAMEWORK_CONTENT_MISSING: {
    kind: 'RULE_VIOLATION',
    article: FRAMEWORK,
    zh: '每个参建部门须有本部门的参建内容',
    en: 'every participating department needs content of its own',
  },
  CONTENT_ITEM_CLAIMED_TWICE: {
    kind: 'RULE_VIOLATION',
    article: FRAMEWORK,
    zh: '各部门建设内容不得重复交叉',
    en: 'a content item may be claimed by one department, once',
  },
  FRAMEWORK_LEAD_CONFIRMS: {
    kind: 'RULE_VIOLATION',
    article: FRAMEWORK,
    zh: '框架方案由参建部门确认，牵头部门无须确认本部门报送的方案',
    en: 'participants confirm the framework; the lead filed it and does not confirm it',
  },
  FRAMEWORK_ALREADY_CONFIRMED: {
    kind: 'CONFLICT',
    article: FRAMEWORK,
    zh: '本部门已确认该框架方案',
    en: 'this department has already confirmed the framework',
  },
  FRAMEWORK_NOT_CONFIRMED: {
    kind: 'RULE_VIOLATION',
    article: FRAMEWORK,
    zh: '框架方案须经全部参建部门确认后联合报送',
    en: 'every participating department must confirm the framework before the office acknowledges it',
  },
  FRAMEWORK_ALREADY_ACKNOWLEDGED: {
    kind: 'CONFLICT',
    article: FRAMEWORK,
    zh: '领导小组办公室已受理该框架方案',
    en: 'the office has already acknowledged the framework',
  },
});
const R = frameworkRules;

/**
 * How two content items are compared (确保各部门建设内容无重复交叉): Unicode compatibility forms
 * folded (full-width letters and spaces), invisible format characters dropped, runs of
 * whitespace made one space, ends trimmed, Latin case ignored: "统一身份认证" and "统一身份认证" followed by
 * an ideographic space (U+3000) are one item.
 */
export function contentKey(item: string): string {
  return item
    .normalize('NFKC')
    .replace(/[\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim()
    .toLowerCase();
}

/** The departments a framework lists: the lead and every participant (第七条 参建部门). */
export function frameworkDepartments(state: FrameworkState): string[] {
  return state.filed ? [state.filed.leadDepartment, ...state.filed.participants] : [];
}

/** The participants that have not confirmed yet, in the framework's order. */
export function awaitingConfirmation(state: FrameworkState): string[] {
  return (state.filed?.participants ?? []).filter((d) => !state.confirmations[d]);
}

/**
 * A construction unit learns nothing of a framework its department is not in: it is not found,
 * exactly as an unknown id (docs/api.md "Visibility"); other roles see every framework.
 */
function requireVisible(state: FrameworkState, frameworkId: string, ctx: DecisionContext): void {
  const listed =
    ctx.actor.role !== 'CONSTRUCTION_UNIT' || frameworkDepartments(state).includes(ctx.actor.department ?? '');
  if (!state.filed || !listed) throw refusal(R.FRAMEWORK_NOT_FOUND, { frameworkId });
}

function checkParticipants(lead: string | undefined, participants: string[]): asserts lead is string {
  const valid =
    hasVisibleText(lead) &&
    participants.length > 0 &&
    participants.every(hasVisibleText) &&
    new Set([lead, ...participants]).size === participants.length + 1;
  if (!valid) throw refusal(R.FRAMEWORK_PARTICIPANTS_INVALID, { leadDepartment: lead ?? null, participants });
}

/**
 * 主体内容: every key a department of the framework, every participant with an item of its own
 * (it takes part to build something; the lead may only coordinate), and no item, compared by
 * contentKey, under two departments (or twice under one).
 */
function checkContent(departments: string[], participants: string[], content: ContentByDepartment): void {
  for (const department of Object.keys(content)) {
    if (!departments.includes(department)) {
      throw refusal(R.FRAMEWORK_CONTENT_DEPARTMENT_UNKNOWN, { department, departments });
    }
  }
  const without = participants.filter((d) => (content[d] ?? []).length === 0);
  if (without.length > 0) throw refusal(R.FRAMEWORK_CONTENT_MISSING, { departments: without });
  const claimed = new Map<string, { department: string; item: string }>();
  for (const [department, items] of Object.entries(content)) {
    for (const item of items) {
      if (!hasVisibleText(item)) throw refusal(R.FRAMEWORK_INCOMPLETE, { field: `contentByDepartment.${department}` });
      const key = contentKey(item);
      const first = claimed.get(key);
      if (first) {
        throw refusal(R.CONTENT_ITEM_CLAIMED_TWICE, {
          item,
          claimedAs: first.item,
          departments: [first.department, department],
        });
      }
      claimed.set(key, { department, item });
    }
  }
}

type FrameworkCommandDefinitions = {
  [K in FrameworkCommandType]: CommandDefinition<
    FrameworkCommandOf<K>,
    FrameworkState,
    FrameworkEvent,
    DecisionContext,
    SharedRuleCode | keyof typeof frameworkRules
  >;
};

export const frameworkCommands: FrameworkCommandDefinitions = {
  FileFramework: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: FRAMEWORK,
    route: '/frameworks',
    creates: true,
    refusals: [
      ...BEFORE_ANY_DECISION,
      'FRAMEWORK_EXISTS',
      'FRAMEWORK_PARTICIPANTS_INVALID',
      'FRAMEWORK_INCOMPLETE',
      'FRAMEWORK_CONTENT_DEPARTMENT_UNKNOWN',
      'FRAMEWORK_CONTENT_MISSING',
      'CONTENT_ITEM_CLAIMED_TWICE',
    ],
    decide(command, state, ctx) {
      const d = command.data;
      if (state.filed) throw refusal(R.FRAMEWORK_EXISTS, { frameworkId: d.frameworkId });
      // 牵头部门: the department filing it (第三条: a unit acts for its own department).
      const lead = ctx.actor.department;
      checkParticipants(lead, d.participants);
      const texts = { name: d.name, objectives: d.objectives, dataFlows: d.dataFlows, interfaces: d.interfaces };
      const blank = Object.entries(texts).find(([, value]) => !hasVisibleText(value));
      if (blank) throw refusal(R.FRAMEWORK_INCOMPLETE, { field: blank[0] });
      if (d.dataCatalogue.length === 0 || !d.dataCatalogue.every(hasVisibleText)) {
        throw refusal(R.FRAMEWORK_INCOMPLETE, { field: 'dataCatalogue' });
      }
      checkContent([lead, ...d.participants], d.participants, d.contentByDepartment);
      return [
        {
          type: 'FrameworkFiled',
          data: {
            frameworkId: d.frameworkId,
            name: d.name,
            leadDepartment: lead,
            participants: d.participants,
            objectives: d.objectives,
            contentByDepartment: d.contentByDepartment,
            dataFlows: d.dataFlows,
            interfaces: d.interfaces,
            dataCatalogue: d.dataCatalogue,
            filedOn: ctx.today,
            filedBy: recordedBy(ctx.actor),
          },
        },
      ];
    },
  },
  ConfirmFramework: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: FRAMEWORK,
    route: '/frameworks/:id/confirm',
    refusals: [...BEFORE_ANY_DECISION, 'FRAMEWORK_NOT_FOUND', 'FRAMEWORK_LEAD_CONFIRMS', 'FRAMEWORK_ALREADY_CONFIRMED'],
    decide(command, state, ctx) {
      const { frameworkId } = command.data;
      requireVisible(state, frameworkId, ctx);
      const department = ctx.actor.department ?? '';
      if (department === state.filed!.leadDepartment) throw refusal(R.FRAMEWORK_LEAD_CONFIRMS, { department });
      // Acknowledged means every participant confirmed: a later confirmation is a repeated one.
      const previous = state.confirmations[department];
      if (previous) {
        throw refusal(R.FRAMEWORK_ALREADY_CONFIRMED, { department, confirmedOn: previous.confirmedOn });
      }
      const awaiting = awaitingConfirmation(state).filter((d) => d !== department);
      return [
        {
          type: 'FrameworkConfirmed',
          data: {
            frameworkId,
            department,
            opinion: command.data.opinion ?? null,
            confirmedOn: ctx.today,
            confirmedBy: recordedBy(ctx.actor),
            awaitingConfirmation: awaiting,
          },
        },
      ];
    },
  },
  AcknowledgeFramework: {
    roles: ['OFFICE'],
    articles: FRAMEWORK,
    route: '/frameworks/:id/acknowledge',
    refusals: [
      ...BEFORE_ANY_DECISION,
      'FRAMEWORK_NOT_FOUND',
      'FRAMEWORK_NOT_CONFIRMED',
      'FRAMEWORK_ALREADY_ACKNOWLEDGED',
    ],
    decide(command, state, ctx) {
      const { frameworkId, opinion } = command.data;
      requireVisible(state, frameworkId, ctx);
      if (state.acknowledgement) throw refusal(R.FRAMEWORK_ALREADY_ACKNOWLEDGED, { frameworkId });
      // 形成统一框架方案后联合报: jointly, so every participant has confirmed it.
      const awaiting = awaitingConfirmation(state);
      if (awaiting.length > 0) throw refusal(R.FRAMEWORK_NOT_CONFIRMED, { awaitingConfirmation: awaiting });
      return [
        {
          type: 'FrameworkAcknowledged',
          data: { frameworkId, opinion, acknowledgedOn: ctx.today, acknowledgedBy: recordedBy(ctx.actor) },
        },
      ];
    },
  },
};

export const frameworkEvents: { [K in FrameworkEventType]: EventDefinition<FrameworkEventOf<K>> } = {
  FrameworkFiled: { label: '跨部门框架方案已报送', family: '立项', article: FRAMEWORK },
  FrameworkConfirmed: { label: '参建部门已确认框架方案', family: '立项', article: FRAMEWORK },
  FrameworkAcknowledged: { label: '领导小组办公室已受理框架方案', family: '立项', article: FRAMEWORK },
};
