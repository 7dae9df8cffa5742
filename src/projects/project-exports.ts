import { CATEGORY_LABELS, labelOf, OBLIGATION_LABELS, STATUS_LABELS } from '../domain';
import type { Writable } from 'node:stream';
import { beijingTime, streamSheet, wanYuan, yesNo, type XlsxColumn } from '../http/xlsx';

/** Rows fetched per query while an export collects every matching project (the lists' own maximum). */
export const EXPORT_PAGE_SIZE = 200;

type Row = Record<string, unknown>;
type ListAnswer = { items: Row[]; total: number };

/**
 * Every page of a paged query, in its own order: an export holds every match, not one page. The
 * first page is read before anything is sent, so a refusal (a named department that is not the
 * caller's, 第三条) is still a problem+json answer; the rest is read as the file is written. Paged
 * by `total` (projects), not by the rows a page yields: a deadlines page may list none of them.
 */
export async function everyPage(fetch: (page: number) => Promise<ListAnswer>): Promise<AsyncIterable<Row>> {
  const first = await fetch(1);
  async function* rows(): AsyncGenerator<Row> {
    let answer = first;
    for (let page = 1; ; page++) {
      if (page > 1) answer = await fetch(page);
      yield* answer.items;
      if (page * EXPORT_PAGE_SIZE >= answer.total) return;
    }
  }
  return rows();
}

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const policyOf = (row: Row) => row.policy as { id?: string; lapsed?: boolean } | null | undefined;

const PROJECT_COLUMNS: XlsxColumn<Row>[] = [
  { header: '项目名称', width: 36, value: (r) => text(r.name) },
  { header: '项目标识', width: 38, value: (r) => text(r.projectId) },
  { header: '项目类别', width: 18, value: (r) => labelOf(CATEGORY_LABELS, r.category) },
  { header: '建设单位（部门）', width: 16, value: (r) => text(r.departmentCode) },
  { header: '计划年度', width: 10, value: (r) => (typeof r.planYear === 'number' ? r.planYear : null) },
  { header: '状态', width: 16, value: (r) => labelOf(STATUS_LABELS, r.status) },
  { header: '估算（万元）', width: 14, format: 'wan', value: (r) => wanYuan(r.estimateFen) },
  { header: '批复概算（万元）', width: 16, format: 'wan', value: (r) => wanYuan(r.approvedEstimateFen) },
  { header: '调整后总投资（万元）', width: 18, format: 'wan', value: (r) => wanYuan(r.currentTotalFen) },
  { header: '逾期', width: 8, value: (r) => yesNo(r.overdue) },
  {
    header: '逾期事项',
    width: 24,
    value: (r) => ((r.overdueKinds as string[] | null) ?? []).map((k) => labelOf(OBLIGATION_LABELS, k)).join('、'),
  },
  { header: '未完成整改（项）', width: 14, format: 'integer', value: (r) => (r.openRectifications as number) ?? 0 },
  { header: '立项时间（北京时间）', width: 18, value: (r) => beijingTime(r.registeredAt) },
  { header: '最近更新（北京时间）', width: 18, value: (r) => beijingTime(r.updatedAt) },
  { header: '政策版本', width: 12, value: (r) => text(policyOf(r)?.id) },
  { header: '政策已失效（第三十三条）', width: 14, value: (r) => yesNo(policyOf(r)?.lapsed) },
];

/** 项目清单: every project the list would show for these filters, in its order. */
export function writeProjects(out: Writable, rows: AsyncIterable<Row>): Promise<number> {
  return streamSheet(out, '项目清单', PROJECT_COLUMNS, rows);
}

const DEADLINE_COLUMNS: XlsxColumn<Row>[] = [
  { header: '项目名称', width: 36, value: (r) => text(r.projectName) },
  { header: '项目标识', width: 38, value: (r) => text(r.projectId) },
  { header: '建设单位（部门）', width: 16, value: (r) => text(r.departmentCode) },
  { header: '事项', width: 16, value: (r) => labelOf(OBLIGATION_LABELS, r.kind) },
  { header: '依据条款', width: 12, value: (r) => text(r.article) },
  { header: '到期日', width: 12, value: (r) => text(r.dueOn) },
  {
    header: '剩余天数',
    width: 10,
    format: 'integer',
    value: (r) => (typeof r.daysLeft === 'number' ? r.daysLeft : null),
  },
  { header: '已逾期', width: 8, value: (r) => yesNo(r.overdue) },
  { header: '已记录逾期', width: 10, value: (r) => yesNo(r.markedOverdue) },
  { header: '年度', width: 8, value: (r) => (typeof r.year === 'number' ? r.year : null) },
  { header: '延期验收', width: 10, value: (r) => (r.kind === 'ACCEPTANCE' ? yesNo(r.extended ?? false) : '') },
  { header: '原到期日（已错过）', width: 16, value: (r) => text(r.missedDueOn) },
  { header: '待收回结余（万元）', width: 16, format: 'wan', value: (r) => wanYuan(r.outstandingFen) },
];

/**
 * 期限与逾期: every deadline the list would show, soonest first, the overdue ones highlighted.
 * Gathered whole to sort across pages (a project's later deadline may fall after the next page's
 * first); the rows are small, the sheet is streamed.
 */
export async function writeDeadlines(out: Writable, rows: AsyncIterable<Row>): Promise<number> {
  const all: Row[] = [];
  for await (const row of rows) all.push(row);
  all.sort((a, b) => text(a.dueOn).localeCompare(text(b.dueOn)));
  return streamSheet(out, '期限与逾期', DEADLINE_COLUMNS, all, (r) => r.overdue === true);
}

/** The file name's day: Beijing's date of the clock. */
export function exportDay(now: Date): string {
  return beijingTime(now.toISOString()).slice(0, 10);
}
