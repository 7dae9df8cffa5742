import { fold, projectDecider, subStatusOf, type ProjectEvent, type RegisteredProject } from '../../../src/domain';
import { c, command, H, play } from '../fixtures';

/** The sub-state beside the status (待审批 / 已批复，待报送下一阶段 …), read from the folded state. */
describe('subStatusOf: where a project stands within its status', () => {
  const sub = (events: ProjectEvent[]) => subStatusOf(fold(projectDecider, events));
  const registered = H.registered();

  it('项目计划: the proposal is filed next; on the fast track (第六条) the feasibility study', () => {
    expect(sub(registered)).toBe('AWAITING_PROPOSAL');
    const state = fold(projectDecider, registered) as RegisteredProject;
    const fast = { ...state, registration: { ...state.registration, fastTrack: { reason: 'r' } } };
    expect(subStatusOf(fast as unknown as RegisteredProject)).toBe('AWAITING_FEASIBILITY');
  });

  it('建议书 and 可研 (第六条): submitted awaits approval; approved awaits the next document', () => {
    const submitted = play([c.submitProposal()], registered);
    expect(sub(submitted)).toBe('AWAITING_APPROVAL');
    const approved = play([c.approveProposal()], submitted);
    expect(sub(approved)).toBe('APPROVED_AWAITING_FEASIBILITY');
    const feasibility = play([c.submitFeasibility(), c.reviewSharing()], approved);
    expect(sub(feasibility)).toBe('AWAITING_APPROVAL');
    expect(sub(play([c.approveFeasibility()], feasibility))).toBe('APPROVED_AWAITING_DESIGN');
  });

  it('初步设计 (第八条): review and pricing, then the approval; a failed review says so', () => {
    const feasible = play(
      [c.submitProposal(), c.approveProposal(), c.submitFeasibility(), c.reviewSharing()],
      registered,
    );
    const design = play([c.approveFeasibility(), c.submitDesign()], feasible);
    expect(sub(design)).toBe('AWAITING_REVIEW');
    expect(sub(play([c.reviewDesign()], design))).toBe('REVIEWED_AWAITING_APPROVAL');
    expect(sub(play([c.reviewDesign(300_000_000, false)], design))).toBe('REVIEW_FAILED');
  });

  it('a rejected stage is named', () => {
    const submitted = play([c.submitProposal()], registered);
    expect(sub(play([command('RejectProposal', { opinion: '不同意' })], submitted))).toBe('REJECTED_PROPOSAL');
  });

  it('approved, building, built, accepted: start, the acceptance steps (第二十一条), the asset (第二十三条)', () => {
    expect(sub(H.approved())).toBe('AWAITING_START');
    expect(sub(H.underConstruction())).toBeNull();
    const completed = H.completed();
    expect(sub(completed)).toBe('AWAITING_ACCEPTANCE_PLAN');
    const planned = play([c.agreePlan()], completed);
    expect(sub(planned)).toBe('AWAITING_ARCHIVE_ACCEPTANCE');
    expect(sub(play([c.archive()], planned))).toBe('AWAITING_ACCEPTANCE');
    const asked = play([command('RequestAcceptanceExtension', { until: '2027-04-30', reason: 'r' })], planned);
    expect(sub(asked)).toBe('EXTENSION_REQUESTED');
    expect(sub(H.accepted())).toBe('AWAITING_ASSET_REGISTRATION');
  });

  it('暂停建设: the status it returns to; unregistered: none', () => {
    const state = fold(projectDecider, H.underConstruction()) as RegisteredProject;
    const suspended = { ...state, status: 'SUSPENDED' as const, statusBeforeSuspension: 'UNDER_CONSTRUCTION' as const };
    expect(subStatusOf(suspended)).toBe('SUSPENDED_IN_CONSTRUCTION');
    expect(subStatusOf({ status: null })).toBeNull();
  });
});
