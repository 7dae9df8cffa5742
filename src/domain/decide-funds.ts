import { ceilingOf, withinBasisPoints } from './money';
import { FileAdjustment, ReturnSurplusFunds } from './project-commands';
import { ProjectEvent } from './project-events';
import { DecisionContext, requireFen, requireStatus } from './project-guards';
import { ProjectState } from './project-state';
import { ADJUSTMENT_REASONS } from './project-values';
import { refuse } from './rules';

/**
 * 第二十条 调整备案: the unit may adjust by itself only when every condition holds; otherwise
 * the change goes through approval again as a new project. The 10 % is of the approved total
 * estimate and counts every earlier filing (running total), compared exactly in fen.
 */
export function decideFileAdjustment(command: FileAdjustment, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const d = command.data;
  const approvedEstimateFen = state.approvedEstimateFen as number;
  if (!ADJUSTMENT_REASONS.includes(d.reason)) throw refuse('ADJUSTMENT_REASON_NOT_ALLOWED', { reason: d.reason });
  if (d.objectivesUnchanged !== true) throw refuse('ADJUSTMENT_OBJECTIVES_CHANGED');
  requireFen(d.amountFen, 'amountFen', '第二十条', { positive: true });
  requireFen(d.newTotalFen, 'newTotalFen', '第二十条', { positive: true });
  if (d.newTotalFen > approvedEstimateFen) {
    throw refuse('ADJUSTMENT_EXCEEDS_ESTIMATE', { newTotalFen: d.newTotalFen, approvedEstimateFen });
  }
  const adjustedFundsTotalFen = state.adjustedFundsTotalFen + d.amountFen;
  const basisPoints = ctx.policy.adjustmentCeilingBasisPoints;
  const adjustmentCeilingFen = ceilingOf(approvedEstimateFen, basisPoints);
  if (!withinBasisPoints(adjustedFundsTotalFen, approvedEstimateFen, basisPoints)) {
    throw refuse('ADJUSTMENT_EXCEEDS_LIMIT', {
      amountFen: d.amountFen,
      previouslyAdjustedFen: state.adjustedFundsTotalFen,
      adjustedFundsTotalFen,
      adjustmentCeilingFen,
      approvedEstimateFen,
    });
  }
  return [
    {
      type: 'AdjustmentFiled',
      data: {
        projectId: d.projectId,
        reason: d.reason,
        amountFen: d.amountFen,
        previousTotalFen: state.currentTotalFen as number,
        newTotalFen: d.newTotalFen,
        objectivesUnchanged: true,
        description: d.description,
        approvedEstimateFen,
        adjustedFundsTotalFen,
        adjustmentCeilingFen,
        filedOn: ctx.today,
      },
    },
  ];
}

/** 第十九条 结余资金退回财政: the returns add up to at most the surplus declared at completion. */
export function decideReturnSurplus(command: ReturnSurplusFunds, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const amountFen = requireFen(command.data.amountFen, 'amountFen', '第十九条', { positive: true });
  const returnedTotalFen = state.surplusReturnedFen + amountFen;
  if (returnedTotalFen > state.surplusFen) {
    throw refuse('SURPLUS_RETURN_EXCEEDS', { amountFen, surplusFen: state.surplusFen, alreadyReturnedFen: state.surplusReturnedFen });
  }
  return [
    {
      type: 'SurplusFundsReturned',
      data: {
        projectId: command.data.projectId,
        amountFen,
        returnedTotalFen,
        outstandingSurplusFen: state.surplusFen - returnedTotalFen,
        returnedOn: ctx.today,
      },
    },
  ];
}
