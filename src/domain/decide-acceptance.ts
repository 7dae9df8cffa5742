import { isAfter } from './calendar';
import {
  AgreeAcceptancePlan,
  GrantAcceptanceExtension,
  RecordAcceptance,
  RecordArchiveAcceptance,
  RegisterAsset,
  RequestAcceptanceExtension,
} from './project-commands';
import { ProjectEvent } from './project-events';
import { DecisionContext, requireDate, requireFen, requireStatus } from './project-guards';
import { ProjectState } from './project-state';
import { PRE_ACCEPTANCE } from './project-status';
import { ACCEPTANCE_MATERIALS, AcceptanceMaterial, AcceptanceMaterials } from './project-values';
import { refuse } from './rules';

/** 第二十一条 验收方案: method, materials and the expert panel, agreed with the office. */
export function decideAgreeAcceptancePlan(command: AgreeAcceptancePlan, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const { projectId, method, experts, materials } = command.data;
  if (!Array.isArray(experts) || experts.length === 0) throw refuse('EXPERT_PANEL_REQUIRED');
  return [{ type: 'AcceptancePlanAgreed', data: { projectId, method, experts, materials, agreedOn: ctx.today } }];
}

/** 第二十二条: may be recorded again (a failed archive acceptance is redone). */
export function decideArchiveAcceptance(command: RecordArchiveAcceptance, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const { projectId, passed, opinion } = command.data;
  return [{ type: 'ArchiveAcceptanceRecorded', data: { projectId, passed, opinion, recordedOn: ctx.today } }];
}

/** 第二十一条 延期验收申请: a later request replaces a pending one. */
export function decideRequestExtension(command: RequestAcceptanceExtension, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const until = requireDate(command.data.until, 'until', '第二十一条');
  const currentDueOn = state.acceptanceDueOn as string;
  if (!isAfter(until, currentDueOn)) throw refuse('EXTENSION_NOT_LATER', { until, currentDueOn });
  return [
    {
      type: 'AcceptanceExtensionRequested',
      data: { projectId: command.data.projectId, until, reason: command.data.reason, currentDueOn, requestedOn: ctx.today },
    },
  ];
}

export function decideGrantExtension(command: GrantAcceptanceExtension, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const pending = state.pendingExtension;
  if (!pending) throw refuse('EXTENSION_NOT_REQUESTED');
  return [
    {
      type: 'AcceptanceExtensionGranted',
      data: {
        projectId: command.data.projectId,
        opinion: command.data.opinion,
        until: pending.until,
        previousDueOn: state.acceptanceDueOn as string,
        acceptanceDueOn: pending.until,
        grantedOn: ctx.today,
      },
    },
  ];
}

export function missingMaterials(materials: Partial<AcceptanceMaterials> | undefined | null): AcceptanceMaterial[] {
  return ACCEPTANCE_MATERIALS.filter((key) => {
    const value = materials?.[key];
    return typeof value !== 'string' || value.trim() === '';
  });
}

/**
 * 第二十一条 every material; 第二十二条 archive acceptance passed. A `passed` verdict that the
 * facts do not support is refused (API.md 422) rather than silently turned into a failure: the
 * office records `passed: false` to fail the acceptance, and then no funds may be paid.
 */
export function decideRecordAcceptance(command: RecordAcceptance, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  if (!state.acceptancePlanAgreed) throw refuse('ACCEPTANCE_PLAN_REQUIRED');
  const d = command.data;
  const missing = missingMaterials(d.materials);
  const archivePassed = state.archiveAcceptancePassed === true;
  if (d.passed) {
    if (missing.length > 0) throw refuse('MATERIALS_INCOMPLETE', { missing });
    if (!archivePassed) throw refuse('ARCHIVE_ACCEPTANCE_REQUIRED', { archiveAcceptancePassed: state.archiveAcceptancePassed });
    const acceptanceDueOn = state.acceptanceDueOn as string;
    return [
      {
        type: 'AcceptancePassed',
        data: {
          projectId: d.projectId,
          opinion: d.opinion,
          materials: d.materials as AcceptanceMaterials,
          acceptedOn: ctx.today,
          acceptanceDueOn,
          onTime: !isAfter(ctx.today, acceptanceDueOn),
        },
      },
    ];
  }
  return [
    {
      type: 'AcceptanceFailed',
      data: {
        projectId: d.projectId,
        opinion: d.opinion,
        materials: d.materials ?? {},
        missingMaterials: missing,
        archiveAcceptancePassed: archivePassed,
        fundsBlocked: true,
        failedOn: ctx.today,
      },
    },
  ];
}

/** 第二十三条: only after acceptance; before it the refusal names the article, not the state. */
export function decideRegisterAsset(command: RegisterAsset, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  if (state.status !== null && PRE_ACCEPTANCE.includes(state.status)) throw refuse('ASSET_BEFORE_ACCEPTANCE', { status: state.status });
  requireStatus(command.type, state);
  const costFen = requireFen(command.data.costFen, 'costFen', '第二十三条', { positive: true });
  return [
    {
      type: 'AssetRegistered',
      data: { projectId: command.data.projectId, assetClass: command.data.assetClass, costFen, registeredOn: ctx.today },
    },
  ];
}
