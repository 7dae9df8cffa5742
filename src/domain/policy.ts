import { IsoDate, localDateOf } from './calendar';

/**
 * The numbers the measures use, versioned (第三十三条: 有效期5年). A successor policy is
 * appended to POLICIES with its own id and dates; history is never re-decided because each
 * decision event records the id of the policy it was decided under, and the values it derived
 * (deadlines, ceilings) are stored on the event itself.
 */
export interface Policy {
  id: string;
  /** Ordos civil dates, both inclusive. */
  effectiveFrom: IsoDate;
  effectiveUntil: IsoDate;
  /** 第六条: fast track only when total funds are strictly below this. */
  fastTrackCeilingFen: number;
  /** 第十六条: engineering supervision required at or above this approved estimate (含). */
  supervisionThresholdFen: number;
  /** 第二十条: running total of adjusted funds at most this share of the approved estimate. */
  adjustmentCeilingBasisPoints: number;
  /** 第二十一条: acceptance within this many calendar months of completion (半年内). */
  acceptanceWindowMonths: number;
  /** 第十七条: the yearly performance report is due by this day (每年年底前). */
  performanceReportDueMonthDay: string;
}

export const ORDOS_2020: Policy = Object.freeze({
  id: 'ordos-2020',
  effectiveFrom: '2020-06-22',
  effectiveUntil: '2025-06-21',
  fastTrackCeilingFen: 500_000_000,
  supervisionThresholdFen: 200_000_000,
  adjustmentCeilingBasisPoints: 1_000,
  acceptanceWindowMonths: 6,
  performanceReportDueMonthDay: '12-31',
});

/** Ordered by effectiveFrom. Add a successor here (never edit a published one). */
export const POLICIES: readonly Policy[] = Object.freeze([ORDOS_2020]);

export interface PolicyInForce {
  policy: Policy;
  /** True when the instant falls after the policy's end and no successor covers it. */
  lapsed: boolean;
}

export class NoPolicyInForceError extends Error {
  constructor(readonly date: IsoDate) {
    super(`no policy in force on ${date}`);
    this.name = 'NoPolicyInForceError';
  }
}

/**
 * Chosen behaviour after lapse: the measures expired on 2025-06-21 and no successor has been
 * published, yet projects in flight must still be supervised. Rather than refusing every
 * command (which would freeze the whole portfolio) we keep deciding under the last policy and
 * mark each decision `policyLapsed: true`, so auditors can see which decisions rested on expired
 * rules. Configuring a successor removes the flag for decisions from its start date on; any gap
 * between two policies is decided under the earlier one, also flagged as lapsed.
 * Before the first policy the measures did not exist (the 2017 智慧城市 measures applied, which
 * this system does not model): that is refused.
 */
export function policyAt(instant: string, policies: readonly Policy[] = POLICIES): PolicyInForce {
  const date = localDateOf(instant);
  let latestStarted: Policy | undefined;
  for (const policy of policies) {
    if (policy.effectiveFrom > date) break;
    latestStarted = policy;
  }
  if (!latestStarted) throw new NoPolicyInForceError(date);
  return { policy: latestStarted, lapsed: date > latestStarted.effectiveUntil };
}
