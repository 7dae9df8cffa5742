import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, download } from './api';
import { Bars, Donut, type Datum } from './charts';
import { useApp } from './context';
import { dateTime, money, moneyShort, percent } from './format';
import { CATEGORY, DEADLINE_KIND, pick, STATUS, STATUS_ORDER, SUB_STATUS } from './i18n';

interface Group {
  count: number;
  estimateFen?: number;
  approvedEstimateFen?: number;
  currentTotalFen?: number;
}
interface Summary {
  total: number;
  byStatus: Record<string, Group>;
  byCategory: Record<string, Group>;
  byDepartment: Record<string, Group>;
  overdue: { projects: number; acceptance: number; performanceReport: number; rectification: number };
}
interface DeadlineItem {
  kind: string;
  dueOn: string;
  article: string;
  overdue: boolean;
  projectId: string;
  projectName: string;
  departmentCode: string;
  daysLeft: number;
  year?: number;
}
interface ListItem {
  projectId: string;
  name: string;
  category: string;
  departmentCode: string;
  planYear: number;
  status: string;
  /** read model v13: where the project stands within its status */
  subStatus?: string | null;
  estimateFen: number;
  approvedEstimateFen: number | null;
  currentTotalFen: number | null;
  adjustedRatio: number;
  overdue: boolean;
  overdueKinds: string[];
  openRectifications: number;
  updatedAt: string;
}

const PAGE_SIZE = 12;

/** Investment of a group: the current total where approved, else the estimate. */
const invest = (g: Group) => g.estimateFen ?? 0;

const DEFAULT_SORT = '-updatedAt';

/** The list's filters as a URL states them (unknown values are the API's to refuse, shown as none). */
function filtersFromUrl(search: string) {
  const q = new URLSearchParams(search);
  return {
    q: q.get('q') ?? '',
    status: q.get('status') ?? '',
    category: q.get('category') ?? '',
    department: q.get('department') ?? '',
    overdue: q.get('overdue') === 'true',
    sort: q.get('sort') ?? DEFAULT_SORT,
  };
}

export function Portfolio() {
  const { t, lang, session, onLive, deptName, departments, navigate } = useApp();
  const [summary, setSummary] = useState<Summary | null>(null);
  const [deadlines, setDeadlines] = useState<DeadlineItem[] | null>(null);
  const [list, setList] = useState<{ items: ListItem[]; total: number } | null>(null);
  // The filters and the page live in the URL: back, reload and a shared link keep them.
  const [filters, setFilters] = useState(() => filtersFromUrl(location.search));
  const [page, setPage] = useState(() => Math.max(1, Number(new URLSearchParams(location.search).get('page')) || 1));
  useEffect(() => {
    const query = filterParams();
    if (page > 1) query.set('page', String(page));
    if (query.get('sort') === DEFAULT_SORT) query.delete('sort');
    const next = `${location.pathname}${query.size > 0 ? `?${query}` : ''}`;
    if (next !== location.pathname + location.search) history.replaceState(null, '', next);
  }, [filters, page]);
  const [tick, setTick] = useState(0);
  const debounce = useRef<number>();

  useEffect(() => {
    api<Summary>(session.token, '/dashboard/summary')
      .then(setSummary)
      .catch(() => undefined);
    api<{ items: DeadlineItem[] }>(session.token, '/deadlines?withinDays=30')
      .then((r) => setDeadlines(r.items))
      .catch(() => setDeadlines([]));
  }, [tick]);

  /** The list's filters as the API takes them (the Excel export takes the same, without paging). */
  const filterParams = () => {
    const params = new URLSearchParams({ sort: filters.sort });
    if (filters.q.trim()) params.set('q', filters.q.trim());
    if (filters.status) params.set('status', filters.status);
    if (filters.category) params.set('category', filters.category);
    if (filters.department) params.set('department', filters.department);
    if (filters.overdue) params.set('overdue', 'true');
    return params;
  };
  const [exportError, setExportError] = useState<string | null>(null);
  const exportList = () => {
    setExportError(null);
    download(session.token, `/projects/export.xlsx?${filterParams()}`, 'projects.xlsx').catch((e: unknown) =>
      setExportError(e instanceof ApiError ? e.message : String(e)),
    );
  };

  useEffect(() => {
    const params = filterParams();
    params.set('page', String(page));
    params.set('pageSize', String(PAGE_SIZE));
    const controller = new AbortController();
    api<{ items: ListItem[]; total: number }>(session.token, `/projects?${params}`, { signal: controller.signal })
      .then(setList)
      .catch(() => undefined);
    return () => controller.abort();
  }, [filters, page, tick]);

  // Live: refresh (debounced) when anything happens.
  useEffect(
    () =>
      onLive(() => {
        clearTimeout(debounce.current);
        debounce.current = window.setTimeout(() => setTick((x) => x + 1), 700);
      }),
    [],
  );

  const set = (patch: Partial<typeof filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };

  const fmtMoney = (v: number) => moneyShort(v, lang);
  const statusData: Datum[] = summary
    ? STATUS_ORDER.filter((s) => summary.byStatus[s]).map((s) => ({
        key: s,
        label: pick(lang, STATUS[s]),
        value: summary.byStatus[s].count,
        color: STATUS[s][2],
        detail: money(invest(summary.byStatus[s]), lang),
      }))
    : [];
  const categoryData: Datum[] = summary
    ? Object.keys(CATEGORY)
        .filter((c) => summary.byCategory[c])
        .map((c) => ({
          key: c,
          label: pick(lang, CATEGORY[c]),
          value: invest(summary.byCategory[c]),
          color: CATEGORY[c][2],
          detail: `${summary.byCategory[c].count} ${lang === 'zh' ? '个项目' : 'projects'}`,
        }))
    : [];
  const deptData: Datum[] = summary
    ? Object.entries(summary.byDepartment)
        .sort((a, b) => invest(b[1]) - invest(a[1]))
        .map(([code, g], i) => ({
          key: code,
          label: deptName(code),
          value: invest(g),
          color: i % 2 ? '#6f93c9' : '#3f6cc0',
          detail: `${g.count}`,
        }))
    : [];

  const totalInvest = summary ? Object.values(summary.byStatus).reduce((s, g) => s + invest(g), 0) : 0;
  const approvedInvest = summary
    ? Object.values(summary.byStatus).reduce((s, g) => s + (g.approvedEstimateFen ?? 0), 0)
    : 0;
  const building = summary?.byStatus.UNDER_CONSTRUCTION?.count ?? 0;
  const overdue = (deadlines ?? []).filter((d) => d.overdue).sort((a, b) => a.daysLeft - b.daysLeft);
  const upcoming = (deadlines ?? []).filter((d) => !d.overdue).slice(0, 6);
  const pages = list ? Math.max(1, Math.ceil(list.total / PAGE_SIZE)) : 1;
  const open = (id: string) => navigate(`/project/${id}`);
  // drill-down from a chart: the list's own (URL) filters, then the list in view
  const drill = (f: Partial<typeof filters>) => {
    set(f);
    document.getElementById('project-list')?.scrollIntoView();
  };

  return (
    <div class="portfolio">
      <section class="kpis" aria-busy={summary ? 'false' : 'true'}>
        <div class="kpi" data-testid="kpi-total">
          <span>{t('totalProjects')}</span>
          <strong>{summary?.total ?? '—'}</strong>
        </div>
        <div class="kpi">
          <span>{t('totalInvestment')}</span>
          <strong>{summary ? money(totalInvest, lang, 0) : '—'}</strong>
        </div>
        <div class="kpi">
          <span>{t('approvedInvestment')}</span>
          <strong>{summary ? money(approvedInvest, lang, 0) : '—'}</strong>
        </div>
        <div class="kpi">
          <span>{t('underConstruction')}</span>
          <strong>{summary ? building : '—'}</strong>
        </div>
        <div class={`kpi ${summary?.overdue.projects || overdue.length ? 'warn' : ''}`} data-testid="kpi-overdue">
          <span>{t('overdueProjects')}</span>
          <strong>
            {summary ? Math.max(summary.overdue.projects, new Set(overdue.map((d) => d.projectId)).size) : '—'}
          </strong>
        </div>
      </section>

      <section class="grid charts" aria-busy={summary ? 'false' : 'true'}>
        <div class="card">
          <h2>{t('byStatus')}</h2>
          <Bars
            data={statusData}
            format={(v) => String(v)}
            title={t('byStatus')}
            testId="chart-status"
            onPick={(status) => drill({ status })}
          />
        </div>
        <div class="card">
          <h2>{t('byCategory')}</h2>
          <Donut
            data={categoryData}
            format={fmtMoney}
            centerLabel={t('investment')}
            title={t('byCategory')}
            testId="chart-category"
            onPick={(category) => drill({ category })}
          />
        </div>
        <div class="card">
          <h2>{t('byDepartment')}</h2>
          <Bars
            data={deptData}
            format={fmtMoney}
            title={t('byDepartment')}
            testId="chart-department"
            onPick={session.claims.role === 'CONSTRUCTION_UNIT' ? undefined : (department) => drill({ department })}
          />
        </div>
      </section>

      <section class="grid two">
        <div class="card" data-testid="overdue-list">
          <h2>
            {t('overdueTitle')} <span class="badge warn">{overdue.length}</span>
          </h2>
          {deadlines === null ? (
            <p class="muted">{t('loading')}</p>
          ) : overdue.length === 0 ? (
            <p class="muted">{t('noOverdue')}</p>
          ) : (
            <ul class="deadlines">
              {overdue.map((d) => (
                <li key={`${d.projectId}-${d.kind}-${d.dueOn}`} onClick={() => open(d.projectId)}>
                  <span class="days bad">{t('daysOverdue', { n: -d.daysLeft })}</span>
                  <div>
                    <strong>{d.projectName}</strong>
                    <small>
                      {pick(lang, DEADLINE_KIND[d.kind], d.kind)}
                      {d.year ? ` ${d.year}` : ''} · {deptName(d.departmentCode)} · {d.dueOn} · {d.article}
                    </small>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div class="card">
          <h2>{t('upcomingTitle')}</h2>
          {upcoming.length === 0 ? (
            <p class="muted">—</p>
          ) : (
            <ul class="deadlines">
              {upcoming.map((d) => (
                <li key={`${d.projectId}-${d.kind}-${d.dueOn}`} onClick={() => open(d.projectId)}>
                  <span class="days">{d.daysLeft === 0 ? t('dueToday') : t('daysLeft', { n: d.daysLeft })}</span>
                  <div>
                    <strong>{d.projectName}</strong>
                    <small>
                      {pick(lang, DEADLINE_KIND[d.kind], d.kind)} · {deptName(d.departmentCode)} · {d.dueOn} ·{' '}
                      {d.article}
                    </small>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>

      <section class="card" id="project-list" aria-busy={list ? 'false' : 'true'}>
        <div class="list-head">
          <h2>{t('projects')}</h2>
          <div class="filters">
            <input
              type="search"
              data-testid="search"
              aria-label={t('search')}
              placeholder={t('search')}
              value={filters.q}
              onInput={(e) => set({ q: (e.target as HTMLInputElement).value })}
            />
            <select
              data-testid="filter-status"
              aria-label={t('status')}
              value={filters.status}
              onChange={(e) => set({ status: (e.target as HTMLSelectElement).value })}
            >
              <option value="">{t('allStatuses')}</option>
              {STATUS_ORDER.map((s) => (
                <option value={s} key={s}>
                  {pick(lang, STATUS[s])}
                </option>
              ))}
            </select>
            <select
              aria-label={t('category')}
              data-testid="filter-category"
              value={filters.category}
              onChange={(e) => set({ category: (e.target as HTMLSelectElement).value })}
            >
              <option value="">{t('allCategories')}</option>
              {Object.keys(CATEGORY).map((c) => (
                <option value={c} key={c}>
                  {pick(lang, CATEGORY[c])}
                </option>
              ))}
            </select>
            {session.claims.role !== 'CONSTRUCTION_UNIT' && (
              <select
                aria-label={t('department')}
                data-testid="filter-department"
                value={filters.department}
                onChange={(e) => set({ department: (e.target as HTMLSelectElement).value })}
              >
                <option value="">{t('allDepartments')}</option>
                {departments.map((d) => (
                  <option value={d.code} key={d.code}>
                    {lang === 'zh' ? d.name : d.nameEn}
                  </option>
                ))}
              </select>
            )}
            <label class="check">
              <input
                type="checkbox"
                checked={filters.overdue}
                onChange={(e) => set({ overdue: (e.target as HTMLInputElement).checked })}
              />
              {t('onlyOverdue')}
            </label>
            <button type="button" class="small" data-testid="export-projects" onClick={exportList}>
              {t('exportXlsx')}
            </button>
          </div>
        </div>
        {exportError && (
          <p class="error" role="alert">
            {t('exportFailed')}：{exportError}
          </p>
        )}
        <div class="table-wrap">
          <table class="projects" data-testid="project-table">
            <thead>
              <tr>
                <Th label={t('name')} field="name" sort={filters.sort} set={set} />
                <th>{t('department')}</th>
                <th>{t('category')}</th>
                <Th label={t('status')} field="status" sort={filters.sort} set={set} />
                <Th label={t('estimate')} field="estimateFen" sort={filters.sort} set={set} num />
                <th class="num">{t('adjustedRatio')}</th>
                <Th label={t('updated')} field="updatedAt" sort={filters.sort} set={set} />
              </tr>
            </thead>
            <tbody>
              {list?.items.map((p) => (
                <tr key={p.projectId} onClick={() => open(p.projectId)} data-testid="project-row">
                  <td>
                    <a href={`/project/${p.projectId}`} onClick={(e) => e.preventDefault()}>
                      {p.name}
                    </a>
                    {p.overdue && <span class="badge warn small">{t('overdueTitle')}</span>}
                    {p.openRectifications > 0 && (
                      <span class="badge rect small">
                        {t('rectifications')} {p.openRectifications}
                      </span>
                    )}
                  </td>
                  {/* data-label: the column's name on the cards of a narrow screen */}
                  <td data-label={t('department')}>{deptName(p.departmentCode)}</td>
                  <td data-label={t('category')}>{pick(lang, CATEGORY[p.category], p.category)}</td>
                  <td data-label={t('status')}>
                    <StatusBadge status={p.status} subStatus={p.subStatus} />
                  </td>
                  <td class="num" data-label={t('estimate')}>
                    {money(p.currentTotalFen ?? p.estimateFen, lang)}
                  </td>
                  <td class="num" data-label={t('adjustedRatio')}>
                    {p.approvedEstimateFen ? percent(p.adjustedRatio) : '—'}
                  </td>
                  <td class="muted" data-label={t('updated')}>
                    {dateTime(p.updatedAt, lang).slice(0, 16)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list && list.items.length === 0 && <p class="muted center">{t('noProjects')}</p>}
        </div>
        <div class="pager">
          <button disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t('prev')}
          </button>
          <span data-testid="pager">{list ? t('pageOf', { p: page, n: pages, t: list.total }) : t('loading')}</span>
          <button disabled={page >= pages} onClick={() => setPage(page + 1)} data-testid="next-page">
            {t('next')}
          </button>
        </div>
      </section>
    </div>
  );
}

function Th(props: { label: string; field: string; sort: string; set: (p: { sort: string }) => void; num?: boolean }) {
  const active = props.sort.replace(/^-/, '') === props.field;
  const desc = props.sort.startsWith('-');
  return (
    <th
      class={`sortable ${props.num ? 'num' : ''} ${active ? 'active' : ''}`}
      onClick={() => props.set({ sort: active && !desc ? `-${props.field}` : props.field })}
    >
      {props.label}
      {active ? (desc ? ' ↓' : ' ↑') : ''}
    </th>
  );
}

/** The status and, when the read model has one, where the project stands within it (项目建议书 · 待审批). */
export function StatusBadge({ status, subStatus }: { status: string | null; subStatus?: string | null }) {
  const { lang } = useApp();
  const s = STATUS[status ?? ''];
  const sub = subStatus ? SUB_STATUS[subStatus] : undefined;
  return (
    <span
      class="status"
      style={{ '--c': s?.[2] ?? '#888' }}
      data-status={status}
      data-sub-status={subStatus ?? undefined}
    >
      {pick(lang, s, status ?? '—')}
      {sub && <span class="sub-status">· {pick(lang, sub)}</span>}
    </span>
  );
}
