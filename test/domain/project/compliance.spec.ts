import { ComplianceFacts, omEligibility, projectDecider } from '../../../src/domain';
import { DeciderSpecification, stateOf } from '../decider-specification';
import { H, PID, actingAs, actors, command, play } from '../fixtures';

const spec = DeciderSpecification(projectDecider);
const GOOD: ComplianceFacts = {
  sharesData: true,
  duplicateCollection: false,
  inCatalogue: true,
  cryptoAssessmentPassed: true,
  securityAssessmentPassed: true,
  majorSecurityHazard: false,
};
const record = (facts: Partial<ComplianceFacts> = {}) => command('RecordCompliance', { ...GOOD, ...facts });
const exempt = () => command('GrantSharingExemption', { reason: '涉密，不能共享' });
const codes = (events: ReturnType<typeof play>) =>
  omEligibility(stateOf(projectDecider, events)).reasons.map((r) => r.code);

describe('第二十四条 compliance facts and O&M funding eligibility', () => {
  it('records the facts with the derived eligibility', () => {
    spec
      .given(H.accepted())
      .when(actingAs(actors.supervisor, record()))
      .then([
        {
          type: 'ComplianceRecorded',
          data: {
            projectId: PID,
            ...GOOD,
            recordedOn: '2026-11-26',
            recordedBy: { sub: 'u-sup', name: '网信办', role: 'SUPERVISOR' },
            omEligible: true,
            omReasonCodes: [],
          },
        },
      ]);
  });
  it('is not eligible before any facts are recorded', () => {
    expect(omEligibility(stateOf(projectDecider, H.accepted()))).toMatchObject({
      eligible: false,
      reasons: [{ code: 'COMPLIANCE_NOT_RECORDED', article: '第二十四条' }],
    });
  });
  it.each([
    [{ sharesData: false }, 'NOT_SHARING'],
    [{ duplicateCollection: true }, 'DUPLICATE_COLLECTION'],
    [{ inCatalogue: false }, 'NOT_IN_CATALOGUE'],
    [{ cryptoAssessmentPassed: false }, 'CRYPTO_NOT_COMPLIANT'],
    [{ securityAssessmentPassed: false }, 'SECURITY_NOT_COMPLIANT'],
    [{ majorSecurityHazard: true }, 'MAJOR_SECURITY_HAZARD'],
  ] as const)('%p makes it ineligible with %s', (facts, code) => {
    expect(codes(play([record(facts)], H.accepted()))).toEqual([code]);
  });
  it('lists every reason at once', () => {
    const all = play([record({ sharesData: false, inCatalogue: false, majorSecurityHazard: true })], H.accepted());
    expect(codes(all)).toEqual(['NOT_SHARING', 'NOT_IN_CATALOGUE', 'MAJOR_SECURITY_HAZARD']);
  });
  it('the government exemption lifts only the sharing reason', () => {
    const history = play([record({ sharesData: false, duplicateCollection: true }), exempt()], H.accepted());
    expect(codes(history)).toEqual(['DUPLICATE_COLLECTION']);
    const onlySharing = play([exempt(), record({ sharesData: false })], H.accepted());
    expect(omEligibility(stateOf(projectDecider, onlySharing)).eligible).toBe(true);
  });
  it('grants the exemption once, by the government only', () => {
    spec
      .given(H.registered())
      .when(exempt())
      .then([
        {
          type: 'SharingExemptionGranted',
          data: {
            projectId: PID,
            reason: '涉密，不能共享',
            grantedOn: '2026-11-26',
            grantedBy: { sub: 'u-gov', name: '市人民政府', role: 'GOVERNMENT' },
          },
        },
      ]);
    spec
      .given(play([exempt()], H.registered()))
      .when(exempt())
      .thenThrows('EXEMPTION_ALREADY_GRANTED', 'CONFLICT');
    spec.given(H.registered()).when(actingAs(actors.office, exempt())).thenThrows('ROLE_NOT_ALLOWED');
  });
  it('construction units cannot record their own compliance', () => {
    spec.given(H.registered()).when(actingAs(actors.cu, record())).thenThrows('ROLE_NOT_ALLOWED', 'FORBIDDEN');
  });
});
