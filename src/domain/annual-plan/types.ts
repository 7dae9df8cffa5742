import { IsoDate } from '../calendar';
import { Command } from '../project-commands';
import { Event } from '../project-events';
import { RecordedBy } from '../project-values';

/** 第五条 年度建设计划: one stream per plan year. */
type A<Type extends string, Data> = Command<Type, Data & { year: number }>;

export type IncludeProjectInPlan = A<
  'IncludeProjectInPlan',
  {
    projectId: string;
    reviewOpinion: string;
    /** required once adopted */ specialCircumstance?: string | null;
    /**
     * Facts of the project's own stream, supplied by the application layer (another aggregate):
     * a plan can only include a registered project of the plan's year (第五条, 第九条).
     */
    project?: { registered: boolean; planYear: number | null };
  }
>;
export type AdoptAnnualPlan = A<
  'AdoptAnnualPlan',
  { meetingRef: string; /** required to re-adopt */ specialCircumstance?: string | null }
>;
export type RecordBudgetFeedback = A<
  'RecordBudgetFeedback',
  { projectId: string; inBudget: boolean; controlAmountFen: number }
>;

export type AnnualPlanCommand = IncludeProjectInPlan | AdoptAnnualPlan | RecordBudgetFeedback;
export type AnnualPlanCommandType = AnnualPlanCommand['type'];

/** 无特殊情况不再调整: a change after adoption records why and who decided it. */
export interface SpecialCircumstance {
  reason: string;
  recordedBy: RecordedBy;
}

type AE<Type extends string, Data> = Event<Type, Data & { year: number }>;

export type ProjectIncludedInPlan = AE<
  'ProjectIncludedInPlan',
  {
    projectId: string;
    reviewOpinion: string;
    includedOn: IsoDate;
    afterAdoption: boolean;
    specialCircumstance: SpecialCircumstance | null;
  }
>;
export type AnnualPlanAdopted = AE<
  'AnnualPlanAdopted',
  {
    meetingRef: string;
    projectIds: string[];
    adoptedOn: IsoDate;
    readoption: boolean;
    specialCircumstance: SpecialCircumstance | null;
  }
>;
export type BudgetFeedbackRecorded = AE<
  'BudgetFeedbackRecorded',
  {
    projectId: string;
    inBudget: boolean;
    controlAmountFen: number;
    recordedOn: IsoDate;
    /** total of control amounts after this */ controlTotalFen: number;
  }
>;

export type AnnualPlanEvent = ProjectIncludedInPlan | AnnualPlanAdopted | BudgetFeedbackRecorded;
export type AnnualPlanEventType = AnnualPlanEvent['type'];

export interface PlanEntry {
  projectId: string;
  reviewOpinion: string;
  afterAdoption: boolean;
  budget: { inBudget: boolean; controlAmountFen: number } | null;
}

export interface AnnualPlanState {
  year: number | null;
  adopted: boolean;
  adoptedOn: IsoDate | null;
  entries: Record<string, PlanEntry>;
}
export type AnnualPlanCommandOf<T extends AnnualPlanCommandType> = Extract<AnnualPlanCommand, { type: T }>;
export type AnnualPlanEventOf<T extends AnnualPlanEventType> = Extract<AnnualPlanEvent, { type: T }>;
