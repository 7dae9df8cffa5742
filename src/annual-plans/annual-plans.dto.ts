import type { AnnualPlanCommandInputs } from '../commands/commands';
import { Bool, CommandBody, Fen, Text, Uuid } from '../http/fields';

/**
 * Plan commands' bodies, declared against their commands' data (src/domain): `implements` checks
 * every field's type, the table at the end that a DTO has exactly its command's fields.
 */
type In<T extends keyof AnnualPlanCommandInputs> = AnnualPlanCommandInputs[T];

/** 第五条 annual plan: the office includes a project with its review opinion. */
export class IncludeInPlanDto extends CommandBody implements In<'IncludeProjectInPlan'> {
  @Uuid() projectId: string;
  @Text() reviewOpinion: string;
  @Text(2000, { optional: true, description: 'required once the plan is adopted (第五条 special circumstances)' })
  specialCircumstance?: string;
}

export class AdoptPlanDto extends CommandBody implements In<'AdoptAnnualPlan'> {
  @Text(500, { description: '联席会议 meeting reference' }) meetingRef: string;
  @Text(2000, { optional: true }) specialCircumstance?: string;
}

export class BudgetFeedbackDto extends CommandBody implements In<'RecordBudgetFeedback'> {
  @Uuid() projectId: string;
  @Bool({ description: 'in next year\'s budget (预算"一下")' }) inBudget: boolean;
  @Fen({ description: '专项支出控制数 control amount' }) controlAmountFen: number;
}

/** Which DTO carries which plan command's data. */
interface AnnualPlanCommandDtos {
  IncludeProjectInPlan: IncludeInPlanDto;
  AdoptAnnualPlan: AdoptPlanDto;
  RecordBudgetFeedback: BudgetFeedbackDto;
}

/** A's and B's keys, optional or not, are the same. */
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;

/** The plan commands whose DTO has other fields than the command's data: must be none. */
type Disagreeing = {
  [T in keyof AnnualPlanCommandDtos]: SameKeys<Omit<AnnualPlanCommandDtos[T], keyof CommandBody>, In<T>> extends true
    ? never
    : T;
}[keyof AnnualPlanCommandDtos];

/** A compile error names the disagreeing command: "Type '"AdoptAnnualPlan"' does not satisfy … never". */
type NoneDisagree<T extends never> = T;

// Not exported (nothing imports it): tsc checks NoneDisagree's constraint all the same.
type _DtosAgreeWithCommands = NoneDisagree<Disagreeing>;
