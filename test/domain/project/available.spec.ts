import { availableCommands, fold, projectDecider, type ProjectEvent } from '../../../src/domain';
import { EARLY, H, at, c, command, play } from '../fixtures';

/**
 * What the dashboard offers is the domain's own table: a command is available when the status is
 * one it accepts and its `ready` condition (beside its decision) holds, so a stage that awaits the
 * office is not offered to be submitted again, nor a decision on a stage not yet submitted.
 */
const offered = (events: ProjectEvent[]) => availableCommands(fold(projectDecider, events));

describe('availableCommands (what the state leaves to do)', () => {
  it('before registration only registration; a draft plan its submission, never the approvals', () => {
    expect(availableCommands(projectDecider.initialState())).toEqual(['RegisterProject']);
    const draft = offered(H.registered());
    expect(draft).toEqual(expect.arrayContaining(['SubmitProposal', 'ReviewSharing', 'AssignResponsibility']));
    expect(draft).not.toEqual(expect.arrayContaining(['ApproveProposal']));
    // no fast track registered: the proposal comes first (第六条)
    expect(draft).not.toContain('SubmitFeasibilityStudy');
    expect(offered(H.registered({ fastTrack: FAST }))).toContain('SubmitFeasibilityStudy');
  });

  it('a submitted stage awaits the office; once approved, the next submission', () => {
    const submitted = play([at(EARLY, c.submitProposal())], H.registered());
    expect(offered(submitted)).toEqual(expect.arrayContaining(['ApproveProposal', 'RejectProposal']));
    expect(offered(submitted)).not.toContain('SubmitFeasibilityStudy');
    const approved = play([at(EARLY, c.approveProposal())], submitted);
    expect(offered(approved)).toContain('SubmitFeasibilityStudy');
    expect(offered(approved)).not.toEqual(expect.arrayContaining(['ApproveProposal']));
  });

  it('the design: review first, approval only after a passed review, resubmission after a failed one', () => {
    const fs = play(
      [c.submitProposal(), c.approveProposal(), c.submitFeasibility(), c.reviewSharing(), c.approveFeasibility()].map(
        (x) => at(EARLY, x),
      ),
      H.registered(),
    );
    expect(offered(fs)).toContain('SubmitPreliminaryDesign');
    const submitted = play([at(EARLY, c.submitDesign())], fs);
    expect(offered(submitted)).toContain('ReviewPreliminaryDesign');
    expect(offered(submitted)).not.toContain('ApprovePreliminaryDesign');
    expect(offered(submitted)).not.toContain('SubmitPreliminaryDesign');
    const passed = play([at(EARLY, c.reviewDesign())], submitted);
    expect(offered(passed)).toContain('ApprovePreliminaryDesign');
    expect(offered(passed)).not.toContain('ReviewPreliminaryDesign');
    const failed = play([at(EARLY, c.reviewDesign(300_000_000, false))], submitted);
    expect(offered(failed)).toContain('SubmitPreliminaryDesign');
    expect(offered(failed)).not.toContain('ApprovePreliminaryDesign');
  });

  it('rectifications: a report while one awaits it, a verification once one is reported', () => {
    const building = H.underConstruction();
    expect(offered(building)).not.toContain('SubmitRectification');
    const ordered = play([c.order('r-1', '2026-12-31')], building);
    expect(offered(ordered)).toContain('SubmitRectification');
    expect(offered(ordered)).not.toContain('VerifyRectification');
    const reported = play([command('SubmitRectification', { rectificationId: 'r-1', report: '已整改' })], ordered);
    expect(offered(reported)).toContain('VerifyRectification');
    expect(offered(reported)).not.toContain('SubmitRectification');
  });

  it('funds and evaluation: release after the design approval, evaluation once the system is in use', () => {
    expect(offered(H.registered())).not.toContain('ReleaseInvestment');
    expect(offered(H.approved())).toContain('ReleaseInvestment');
    expect(offered(H.underConstruction())).not.toContain('EvaluateProject');
    expect(offered(H.completed())).toContain('EvaluateProject');
    expect(offered(H.completed('2026-08-31', 0))).not.toContain('ReturnSurplusFunds');
    expect(offered(H.completed('2026-08-31', 1_000_000))).toContain('ReturnSurplusFunds');
    // the deadline watcher's commands are never offered
    expect(offered(H.completed())).not.toContain('MarkAcceptanceOverdue');
  });
});

const FAST = { reason: 'SECURITY', urgent: true, depthMet: true, evidenceRef: 'doc:city' } as const;
