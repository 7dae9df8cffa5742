import {
  CATEGORY_LABELS,
  deadlinesOf,
  eventFamily,
  eventLabel,
  labelOf,
  NATURE_LABELS,
  OBLIGATION_LABELS,
  ROLE_LABELS,
  stateView,
  STATUS_LABELS,
  undatedObligationsOf,
  type ProjectState,
} from '../domain';
import type { StoredEvent } from '../event-store/event-store.port';
import { beijingTime, wanYuan, XlsxBook, yesNo, type XlsxColumn } from '../http/xlsx';
import type { ExportRecord } from './audit-log';

/** An exported event with the name of its project, when it has one. */
export type EventRow = ExportRecord & { projectName?: string };

const decision = (r: EventRow) => r.metadata as { article?: string; policy?: string; policyLapsed?: boolean };

/**
 * 审计日志 and a project's 历史记录: one event a row, labelled in Chinese; the data as stored (JSON)
 * so the sheet says exactly what the record says. Shared by the audit export and the project file.
 */
export const EVENT_COLUMNS: XlsxColumn<EventRow>[] = [
  { header: '全局位置', width: 12, value: (r) => r.position },
  { header: '发生时间（北京时间）', width: 18, value: (r) => beijingTime(r.metadata.occurredAt) },
  { header: '项目名称', width: 30, value: (r) => r.projectName ?? '' },
  { header: '事件流', width: 44, value: (r) => r.streamId },
  { header: '流内序号', width: 9, format: 'integer', value: (r) => r.revision },
  { header: '事件', width: 22, value: (r) => eventLabel(r.type) ?? r.type },
  { header: '环节', width: 10, value: (r) => eventFamily(r.type) ?? '' },
  { header: '依据条款', width: 14, value: (r) => decision(r).article ?? '' },
  { header: '操作人', width: 14, value: (r) => r.metadata.actor?.name ?? '' },
  { header: '操作人角色', width: 16, value: (r) => labelOf(ROLE_LABELS, r.metadata.actor?.role) },
  { header: '操作人部门', width: 12, value: (r) => r.metadata.actor?.department ?? '' },
  { header: '操作人标识', width: 16, value: (r) => r.metadata.actor?.sub ?? '' },
  { header: '政策版本', width: 12, value: (r) => decision(r).policy ?? '' },
  { header: '政策已失效（第三十三条）', width: 14, value: (r) => yesNo(decision(r).policyLapsed === true) },
  { header: '事件内容（原始记录）', width: 60, value: (r) => r.dataJson },
  { header: '事件类型代码', width: 26, value: (r) => r.type },
  { header: '事件标识', width: 38, value: (r) => r.metadata.eventId },
  { header: '哈希', width: 66, value: (r) => r.metadata.hash },
];

interface Fact {
  label: string;
  value: string | number | null;
  wan?: boolean;
}

const FACT_COLUMNS: XlsxColumn<Fact>[] = [
  { header: '项目', width: 30, value: (f) => f.label },
  { header: '内容', width: 60, value: (f) => f.value, format: (f) => (f.wan ? 'wan' : undefined) },
];

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** 项目概况: the facts of the project folded from its own stream (the read model's facts). */
function factsOf(state: ProjectState, last: StoredEvent | undefined): Fact[] {
  const v = stateView(state);
  const nature = state.status === null ? null : state.registration.nature;
  const cross = v.crossDepartment as { leadDepartment?: string; participants?: string[] } | null;
  const rectifications = Object.values(state.status === null ? {} : state.rectifications);
  const wan = (label: string, fen: unknown): Fact => ({ label: `${label}（万元）`, value: wanYuan(fen), wan: true });
  const meta = last?.metadata as { policy?: string; policyLapsed?: boolean } | undefined;
  return [
    { label: '项目名称', value: text(v.name) },
    { label: '项目标识', value: text(v.projectId) },
    { label: '状态', value: labelOf(STATUS_LABELS, v.status) },
    { label: '项目类别', value: labelOf(CATEGORY_LABELS, v.category) },
    { label: '项目性质', value: labelOf(NATURE_LABELS, nature) },
    { label: '建设单位（部门）', value: text(v.departmentCode) },
    { label: '牵头部门（第七条）', value: text(cross?.leadDepartment) },
    { label: '参与部门（第七条）', value: (cross?.participants ?? []).join('、') },
    { label: '计划年度', value: typeof v.planYear === 'number' ? v.planYear : null },
    wan('立项估算', v.estimateFen),
    wan('初步设计概算', v.designEstimateFen),
    wan('批复概算', v.approvedEstimateFen),
    { label: '批复日期', value: text(v.approvedOn) },
    wan('调整上限', v.adjustmentCeilingFen),
    wan('调整后总投资', v.currentTotalFen),
    wan('已拨付资金', v.releasedFen),
    { label: '实施主体（第十条）', value: text(v.implementingBody) },
    { label: '项目负责人（第十条）', value: text(v.responsiblePerson) },
    { label: '监理单位（第十六条）', value: text(v.supervisionUnit) },
    { label: '开工日期', value: text(v.startedOn) },
    { label: '完工日期', value: text(v.completedOn) },
    { label: '验收期限', value: text(v.acceptanceDueOn) },
    { label: '验收日期', value: text(v.acceptedOn) },
    wan('结余资金', v.surplusFen),
    wan('已收回结余', v.surplusReturnedFen),
    {
      label: '整改（未核销/全部）',
      value: `${rectifications.filter((r) => r.status !== 'VERIFIED').length}/${rectifications.length}`,
    },
    { label: '最近事件时间（北京时间）', value: beijingTime(last?.metadata.occurredAt) },
    { label: '事件数', value: last ? last.revision + 1 : 0 },
    { label: '政策版本（最近决定）', value: text(meta?.policy) },
    { label: '政策已失效（第三十三条）', value: yesNo(meta?.policyLapsed === true) },
  ];
}

type ObligationRow = Record<string, unknown>;

const OBLIGATION_COLUMNS: XlsxColumn<ObligationRow>[] = [
  { header: '事项', width: 16, value: (o) => labelOf(OBLIGATION_LABELS, o.kind) },
  { header: '依据条款', width: 12, value: (o) => text(o.article) },
  { header: '到期日', width: 12, value: (o) => text(o.dueOn) },
  { header: '未完成', width: 8, value: (o) => yesNo(o.open) },
  { header: '已逾期', width: 8, value: (o) => yesNo(o.overdue) },
  { header: '已记录逾期', width: 10, value: (o) => yesNo(o.markedOverdue) },
  { header: '年度', width: 8, value: (o) => (typeof o.year === 'number' ? o.year : null) },
  { header: '原到期日（已错过）', width: 16, value: (o) => text(o.missedDueOn) },
  { header: '待收回结余（万元）', width: 16, format: 'wan', value: (o) => wanYuan(o.outstandingFen) },
  { header: '整改/事项标识', width: 38, value: (o) => text(o.rectificationId ?? o.incidentId) },
];

/**
 * 项目档案: the project's facts, its whole history and its obligations (dated ones, met or not,
 * and the undated ones), all from its stream as stored now.
 */
export function archiveWorkbook(events: readonly StoredEvent[], state: ProjectState, now: string): Promise<Buffer> {
  const name = state.status === null ? '' : state.registration.name;
  const rows: EventRow[] = events.map((e) => ({ ...e, dataJson: JSON.stringify(e.data), projectName: name }));
  const obligations: ObligationRow[] = [
    ...deadlinesOf(state, now).map((d) => ({ ...d })),
    ...undatedObligationsOf(state).map((o) => ({ ...o })),
  ];
  return new XlsxBook()
    .sheet('项目概况', FACT_COLUMNS, factsOf(state, events[events.length - 1]))
    .sheet('历史记录', EVENT_COLUMNS, rows)
    .sheet('期限与义务', OBLIGATION_COLUMNS, obligations, (o) => o.overdue === true)
    .buffer();
}
