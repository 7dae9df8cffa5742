import {
  departmentOf,
  effectiveStatus,
  evolveProject,
  fold,
  initialProjectState,
  isRegistered,
  projectDecider,
  registrationOf,
} from '../../../src/domain';
import { DEPT, H, PID, command, play } from '../fixtures';

describe('ProjectState: what exists at each stage', () => {
  it('before registration only the absence is known', () => {
    const state = initialProjectState();
    expect(state).toEqual({ status: null });
    expect(isRegistered(state)).toBe(false);
    expect(registrationOf(state)).toBeNull();
    expect(departmentOf(state)).toBeNull();
    // a stream starts with its registration: anything else before it changes nothing
    const [submitted] = play([command('SubmitProposal', { documentRef: 'd' })], H.registered()).slice(1);
    expect(evolveProject(state, submitted)).toBe(state);
  });

  it('registration fixes the plan; later stages appear as their events happen', () => {
    const registered = fold(projectDecider, H.registered());
    expect(registrationOf(registered)).toMatchObject({ name: '智慧教育平台', departmentCode: DEPT, planYear: 2026 });
    expect(departmentOf(registered)).toBe(DEPT);
    if (!isRegistered(registered)) throw new Error('registered');
    expect(registered).toMatchObject({ projectId: PID, approved: null, construction: null, acceptance: null });
    const building = fold(projectDecider, H.underConstruction());
    if (!isRegistered(building)) throw new Error('registered');
    expect(building.approved).toMatchObject({ approvedEstimateFen: 300_000_000, currentTotalFen: 300_000_000 });
    expect(building.construction).toEqual({ startedOn: '2026-01-10', reportedYears: [], overdueReportYears: [] });
    expect(building.acceptance).toBeNull();
  });

  it('a suspended project keeps the status its obligations follow', () => {
    const incident = command('ReportIncident', { incidentId: 'i-1', kind: 'MAJOR_LOSS', description: 'd' });
    const suspend = command('SuspendProject', { reason: 'r', basis: { incidentId: 'i-1' } });
    const suspended = fold(projectDecider, play([incident, suspend], H.underConstruction()));
    expect(suspended.status).toBe('SUSPENDED');
    expect(effectiveStatus(suspended)).toBe('UNDER_CONSTRUCTION');
  });
});
