/**
 * 第二十四条 存量系统: the existing systems a department inventories, the compliance facts the
 * supervisors record on them and the city government's exemption. With the department's projects
 * in operation they are its systems under the construction ban (compliance.ts banReasonsOf).
 */
import { CommandDefinition, DecisionContext, EventDefinition } from '../definitions';
import { ComplianceFacts } from '../project-values';
import { complianceRules, banReasonsOf, omEligibility } from '../project/compliance';
import { defineRules, refusal } from '../rule';
import { BEFORE_ANY_DECISION, SHARED_RULES, SharedRuleCode, recordedBy } from '../shared';
import { SystemCommandOf, SystemCommandType, SystemEvent, SystemEventOf, SystemEventType, SystemState } from './types';

const SHARING = '第二十四条';

export const systemRules = defineRules({
  SYSTEM_EXISTS: { kind: 'CONFLICT', article: SHARING, zh: '存量系统已登记', en: 'the system is already inventoried' },
  SYSTEM_NOT_FOUND: {
    kind: 'NOT_FOUND',
    article: SHARING,
    zh: '存量系统未登记',
    en: 'no such system is inventoried',
  },
});
const R = systemRules;

type Code = SharedRuleCode | keyof typeof systemRules | (typeof complianceRules)['EXEMPTION_ALREADY_GRANTED']['code'];

type SystemCommandDefinitions = {
  [K in SystemCommandType]: CommandDefinition<SystemCommandOf<K>, SystemState, SystemEvent, DecisionContext, Code>;
};

type Inventoried = Exclude<SystemState, { systemId: null }>;

function inventoried(state: SystemState, systemId: string): Inventoried {
  if (state.systemId === null) throw refusal(R.SYSTEM_NOT_FOUND, { systemId });
  return state;
}

export const systemCommands: SystemCommandDefinitions = {
  /** The department's own systems only: the construction unit inventories for its department (第三条). */
  InventoryExistingSystem: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: SHARING,
    route: '/systems',
    creates: true,
    refusals: [...BEFORE_ANY_DECISION, 'SYSTEM_EXISTS'],
    decide(command, state, ctx) {
      const { systemId, name, inCatalogue, description } = command.data;
      if (state.systemId !== null) throw refusal(R.SYSTEM_EXISTS, { systemId });
      const departmentCode = ctx.actor.department;
      if (!departmentCode) throw refusal(SHARED_RULES.ROLE_NOT_ALLOWED, { role: ctx.actor.role });
      return [
        {
          type: 'ExistingSystemInventoried',
          data: {
            systemId,
            departmentCode,
            name,
            inCatalogue,
            description,
            inventoriedOn: ctx.today,
            inventoriedBy: recordedBy(ctx.actor),
          },
        },
      ];
    },
  },
  /** 第十一、十二、二十四、二十七条 the latest record counts; a newer one clears an older finding. */
  RecordSystemCompliance: {
    roles: ['OFFICE', 'SUPERVISOR'],
    articles: '第十一条、第十二条、第二十四条、第二十七条',
    route: '/systems/:id/record-compliance',
    refusals: [...BEFORE_ANY_DECISION, 'SYSTEM_NOT_FOUND'],
    decide(command, state, ctx) {
      const d = command.data;
      const system = inventoried(state, d.systemId);
      const facts: ComplianceFacts = {
        sharesData: d.sharesData,
        duplicateCollection: d.duplicateCollection,
        inCatalogue: d.inCatalogue,
        cryptoAssessmentPassed: d.cryptoAssessmentPassed,
        securityAssessmentPassed: d.securityAssessmentPassed,
        majorSecurityHazard: d.majorSecurityHazard,
      };
      const record = { ...system.compliance, facts };
      const eligibility = omEligibility(record);
      return [
        {
          type: 'SystemComplianceRecorded',
          data: {
            systemId: d.systemId,
            ...facts,
            recordedOn: ctx.today,
            recordedBy: recordedBy(ctx.actor),
            omEligible: eligibility.eligible,
            omReasonCodes: eligibility.reasons.map((r) => r.code),
            banReasonCodes: banReasonsOf(record),
          },
        },
      ];
    },
  },
  /** 第二十四条 确有必要保留的，经市人民政府批准: clears not sharing, nothing else. */
  GrantSystemSharingExemption: {
    roles: ['GOVERNMENT'],
    articles: SHARING,
    route: '/systems/:id/grant-sharing-exemption',
    refusals: [...BEFORE_ANY_DECISION, 'SYSTEM_NOT_FOUND', 'EXEMPTION_ALREADY_GRANTED'],
    decide(command, state, ctx) {
      const { systemId, reason } = command.data;
      const granted = inventoried(state, systemId).compliance.sharingExemption;
      if (granted) throw refusal(complianceRules.EXEMPTION_ALREADY_GRANTED, { grantedOn: granted.grantedOn });
      return [
        {
          type: 'SystemSharingExemptionGranted',
          data: { systemId, reason, grantedOn: ctx.today, grantedBy: recordedBy(ctx.actor) },
        },
      ];
    },
  },
};

export const systemEvents: { [K in SystemEventType]: EventDefinition<SystemEventOf<K>> } = {
  ExistingSystemInventoried: { label: '存量系统已登记', family: '建设', article: SHARING },
  SystemComplianceRecorded: {
    label: '存量系统合规情况已记录',
    family: '建设',
    article: '第十一条、第十二条、第二十四条、第二十七条',
  },
  SystemSharingExemptionGranted: { label: '市人民政府已批准保留存量系统', family: '建设', article: SHARING },
};
