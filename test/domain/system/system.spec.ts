import {
  Actor,
  ComplianceFacts,
  SystemCommand,
  SystemEvent,
  fold,
  omEligibility,
  systemDecider,
  systemStreamId,
} from '../../../src/domain';
import { DeciderSpecification } from '../decider-specification';
import { NOW, actors } from '../fixtures';

const spec = DeciderSpecification(systemDecider);
const SID = 'sys-1';
type DataOf<T extends SystemCommand['type']> = Omit<Extract<SystemCommand, { type: T }>['data'], 'systemId'>;

function cmd<T extends SystemCommand['type']>(
  type: T,
  data: DataOf<T>,
  actor: Actor,
): Extract<SystemCommand, { type: T }> {
  return { type, data: { systemId: SID, ...data }, metadata: { now: NOW, actor } } as unknown as Extract<
    SystemCommand,
    { type: T }
  >;
}
const GOOD: ComplianceFacts = {
  sharesData: true,
  duplicateCollection: false,
  inCatalogue: true,
  cryptoAssessmentPassed: true,
  securityAssessmentPassed: true,
  majorSecurityHazard: false,
};
const inventory = (actor: Actor = actors.cu) =>
  cmd('InventoryExistingSystem', { name: '教育资源平台', inCatalogue: false, description: '2018年建成' }, actor);
const record = (facts: Partial<ComplianceFacts> = {}, actor: Actor = actors.supervisor) =>
  cmd('RecordSystemCompliance', { ...GOOD, ...facts }, actor);
const exempt = () => cmd('GrantSystemSharingExemption', { reason: '涉密，不能共享' }, actors.government);

function events(commands: SystemCommand[]): SystemEvent[] {
  const all: SystemEvent[] = [];
  for (const command of commands) {
    for (const { type, data } of systemDecider.decide(command, fold(systemDecider, all))) {
      all.push({ type, data } as SystemEvent);
    }
  }
  return all;
}

describe('第二十四条 existing systems (存量系统)', () => {
  it('a construction unit inventories a system of its own department', () => {
    expect(systemStreamId(SID)).toBe('system-sys-1');
    spec
      .given([])
      .when(inventory())
      .thenMatches([
        {
          type: 'ExistingSystemInventoried',
          article: '第二十四条',
          data: {
            systemId: SID,
            departmentCode: 'D-EDU',
            name: '教育资源平台',
            inCatalogue: false,
            description: '2018年建成',
            inventoriedOn: '2026-11-26',
            inventoriedBy: { sub: 'u-cu', name: '教育局 张三', role: 'CONSTRUCTION_UNIT' },
          },
        },
      ]);
  });
  it('only a construction unit inventories, and only once', () => {
    spec.given([]).when(inventory(actors.office)).thenThrows('ROLE_NOT_ALLOWED', 'FORBIDDEN');
    spec
      .given(events([inventory()]))
      .when(inventory())
      .thenThrows('SYSTEM_EXISTS', 'CONFLICT');
  });
  it('the office or a supervisor records compliance on an inventoried system, with its ban findings', () => {
    spec.given([]).when(record()).thenThrows('SYSTEM_NOT_FOUND', 'NOT_FOUND');
    spec
      .given(events([inventory()]))
      .when(record({}, actors.cu))
      .thenThrows('ROLE_NOT_ALLOWED');
    spec
      .given(events([inventory()]))
      .when(record({ majorSecurityHazard: true, inCatalogue: false }, actors.office))
      .thenMatches([
        {
          type: 'SystemComplianceRecorded',
          data: {
            systemId: SID,
            majorSecurityHazard: true,
            omEligible: false,
            omReasonCodes: ['NOT_IN_CATALOGUE', 'MAJOR_SECURITY_HAZARD'],
            // (二) outside the catalogue costs O&M funds only; (三) the hazard bans
            banReasonCodes: ['MAJOR_SECURITY_HAZARD'],
          },
        },
      ]);
    spec
      .given(events([inventory()]))
      .when(record())
      .thenMatches([{ type: 'SystemComplianceRecorded', data: { omEligible: true, banReasonCodes: [] } }]);
  });
  it('the government exemption clears not sharing only, and is granted once', () => {
    const notSharing = events([inventory(), record({ sharesData: false, duplicateCollection: true })]);
    spec.given([]).when(exempt()).thenThrows('SYSTEM_NOT_FOUND');
    const granted = events([inventory(), record({ sharesData: false, duplicateCollection: true }), exempt()]);
    expect(omEligibility(stateCompliance(notSharing)).reasons.map((r) => r.code)).toEqual([
      'NOT_SHARING',
      'DUPLICATE_COLLECTION',
    ]);
    expect(omEligibility(stateCompliance(granted)).reasons.map((r) => r.code)).toEqual(['DUPLICATE_COLLECTION']);
    spec.given(granted).when(exempt()).thenThrows('EXEMPTION_ALREADY_GRANTED', 'CONFLICT');
    spec
      .given(events([inventory(), exempt()]))
      .when(record({ sharesData: false }))
      .thenMatches([{ type: 'SystemComplianceRecorded', data: { banReasonCodes: [], omEligible: true } }]);
  });
});

function stateCompliance(history: SystemEvent[]) {
  const state = fold(systemDecider, history);
  if (state.systemId === null) throw new Error('not inventoried');
  return state.compliance;
}
