import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api';
import { ACTIONS } from './actions';
import { useApp } from './context';
import { dateTime } from './format';
import { formatWan } from './money';
import { pick, INBOX_KIND } from './i18n';

/** One item of GET /inbox (docs/api.md "Queries added"). */
export interface InboxItem {
  kind: string;
  command: string;
  action: string;
  article: string;
  project: { projectId: string; name: string; departmentCode: string } | null;
  planYear: number | null;
  dueOn: string | null;
  overdueDays: number;
  since: string | null;
  rectificationId?: string;
  incidentId?: string;
  year?: number;
  amountFen?: number;
  projectId?: string;
  system?: { systemId: string; name: string; departmentCode: string };
  framework?: { frameworkId: string; name: string; leadDepartment: string };
}

export interface Inbox {
  today: string;
  role: string;
  department?: string;
  items: InboxItem[];
  total: number;
  counts: Record<string, number>;
}

/**
 * The caller's 待办, kept fresh: read on sign-in and again (debounced) whenever an event arrives
 * on the live stream, since any event may add or discharge an item. The top bar and the 待办 screen
 * share it.
 */
export function useInbox(
  token: string | null,
  onLive: (fn: () => void) => () => void,
): { inbox: Inbox | null; failed: boolean } {
  const [inbox, setInbox] = useState<Inbox | null>(null);
  const [failed, setFailed] = useState(false);
  const [tick, setTick] = useState(0);
  const debounce = useRef<number>();
  useEffect(() => {
    if (token === null) return setInbox(null);
    const controller = new AbortController();
    api<Inbox>(token, '/inbox', { signal: controller.signal })
      .then((answer) => (setInbox(answer), setFailed(false)))
      .catch((error: Error) => error.name !== 'AbortError' && setFailed(true));
    return () => controller.abort();
  }, [token, tick]);
  useEffect(
    () =>
      onLive(() => {
        clearTimeout(debounce.current);
        debounce.current = window.setTimeout(() => setTick((x) => x + 1), 700);
      }),
    [],
  );
  return { inbox, failed };
}

const overdueCount = (inbox: Inbox | null): number => (inbox ? inbox.items.filter((i) => i.overdueDays > 0).length : 0);

/** The top bar's count: the total, and the overdue ones in red; read out as one sentence. */
export function InboxBadge({ inbox }: { inbox: Inbox | null }) {
  const { t } = useApp();
  if (!inbox) return null;
  const overdue = overdueCount(inbox);
  return (
    <>
      <span class="count-pill" aria-hidden="true" data-testid="inbox-count">
        {inbox.total}
      </span>
      {overdue > 0 && (
        <span class="count-pill overdue" aria-hidden="true" data-testid="inbox-count-overdue">
          {t('inboxOverdue', { n: overdue })}
        </span>
      )}
      <span class="sr-only">{t('inboxNavLabel', { n: inbox.total, o: overdue })}</span>
    </>
  );
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** 待办 and 已办, as two tabs of one screen. */
export function InboxView({ inbox, failed }: { inbox: Inbox | null; failed: boolean }) {
  const { t } = useApp();
  const [tab, setTab] = useState<'todo' | 'done'>('todo');
  const tabButton = (key: 'todo' | 'done', label: string) => (
    <button
      type="button"
      role="tab"
      id={`tab-${key}`}
      aria-selected={tab === key}
      aria-controls={`panel-${key}`}
      class={tab === key ? 'on' : ''}
      data-testid={`tab-${key}`}
      onClick={() => setTab(key)}
    >
      {label}
    </button>
  );
  return (
    <>
      <div class="inbox-tabs" role="tablist" aria-label={t('inbox')}>
        {tabButton('todo', t('inboxTitle'))}
        {tabButton('done', t('doneTitle'))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'todo' ? <TodoList inbox={inbox} failed={failed} /> : <DoneList />}
      </div>
    </>
  );
}

/** 待办: what awaits the caller, in the order the API gives (overdue first, then by due date). */
function TodoList({ inbox, failed }: { inbox: Inbox | null; failed: boolean }) {
  const { t, lang, navigate, deptName } = useApp();
  const [kind, setKind] = useState('');
  if (failed && !inbox) return <p class="card muted">{t('unavailable')}</p>;
  if (!inbox)
    return (
      <p class="card muted" aria-busy="true">
        {t('loading')}
      </p>
    );
  const items = kind ? inbox.items.filter((i) => i.kind === kind) : inbox.items;
  const overdue = overdueCount(inbox);
  const go = (e: Event, path: string) => (e.preventDefault(), navigate(path));

  return (
    <section class="card inbox" data-testid="inbox" aria-labelledby="inbox-title">
      <div class="inbox-head">
        <h2 id="inbox-title">
          {t('inboxTitle')}
          <span class="badge" data-testid="inbox-total">
            {t('inboxTotal', { n: inbox.total })}
          </span>
          {overdue > 0 && (
            <span class="badge overdue" data-testid="inbox-overdue">
              {t('inboxOverdue', { n: overdue })}
            </span>
          )}
        </h2>
        <p class="muted">{t('inboxToday', { d: inbox.today })}</p>
      </div>
      {inbox.total > 0 && (
        <div class="inbox-kinds" role="group" aria-label={t('inboxByKind')}>
          <button type="button" class={kind === '' ? 'on' : ''} aria-pressed={kind === ''} onClick={() => setKind('')}>
            {t('inboxAll')} {inbox.total}
          </button>
          {Object.entries(inbox.counts).map(([k, n]) => (
            <button
              type="button"
              key={k}
              class={kind === k ? 'on' : ''}
              aria-pressed={kind === k}
              data-testid={`inbox-kind-${k}`}
              onClick={() => setKind(kind === k ? '' : k)}
            >
              {pick(lang, INBOX_KIND[k], t('inboxOther'))} {n}
            </button>
          ))}
        </div>
      )}
      {items.length === 0 ? (
        <p class="muted" data-testid="inbox-empty">
          {t('inboxEmpty')}
        </p>
      ) : (
        <ol class="inbox-items">
          {items.map((item, index) => {
            const projectId = item.project?.projectId ?? item.projectId;
            const hasForm = projectId !== undefined && ACTIONS[item.action] !== undefined;
            const late = item.overdueDays > 0;
            const left = item.dueOn && !late ? daysBetween(inbox.today, item.dueOn) : null;
            return (
              <li
                key={`${item.kind}-${projectId ?? item.system?.systemId ?? item.framework?.frameworkId ?? ''}-${index}`}
                class={`inbox-item ${late ? 'late' : ''}`}
                data-testid="inbox-item"
                data-kind={item.kind}
              >
                <div class="inbox-main">
                  <strong class="inbox-kind">{pick(lang, INBOX_KIND[item.kind], t('inboxOther'))}</strong>
                  <span class="art">{item.article}</span>
                  <div class="inbox-subject">
                    {item.project ? (
                      <a href={`/project/${item.project.projectId}`} onClick={(e) => go(e, `/project/${projectId}`)}>
                        {item.project.name}
                      </a>
                    ) : item.system ? (
                      <span>
                        {t('inboxSystem')} {item.system.name}
                      </span>
                    ) : item.framework ? (
                      <span>
                        {t('inboxFramework')} {item.framework.name}
                      </span>
                    ) : item.planYear !== null ? (
                      <span>{t('inboxPlan', { y: item.planYear })}</span>
                    ) : null}
                    <small class="muted">
                      {deptName(
                        item.project?.departmentCode ?? item.system?.departmentCode ?? item.framework?.leadDepartment,
                      )}
                      {item.year !== undefined && ` · ${t('inboxYear', { y: item.year })}`}
                      {item.amountFen !== undefined && ` · ${formatWan(item.amountFen)}`}
                      {item.since && ` · ${t('inboxSince', { d: item.since })}`}
                    </small>
                  </div>
                </div>
                <div class="inbox-due">
                  {item.dueOn ? (
                    <>
                      <span class="muted">{t('inboxDue', { d: item.dueOn })}</span>
                      <span class={`days ${late ? 'overdue' : ''}`} data-testid="inbox-days">
                        {late
                          ? t('daysOverdue', { n: item.overdueDays })
                          : left === 0
                            ? t('dueToday')
                            : t('daysLeft', { n: left ?? 0 })}
                      </span>
                    </>
                  ) : (
                    <span class="muted">{t('inboxUndated')}</span>
                  )}
                  {hasForm ? (
                    <a
                      class="button primary"
                      href={`/project/${projectId}?action=${item.action}`}
                      data-testid="inbox-go"
                      onClick={(e) => go(e, `/project/${projectId}?action=${item.action}`)}
                    >
                      {t('inboxGo')}
                    </a>
                  ) : projectId ? (
                    <a class="button" href={`/project/${projectId}`} onClick={(e) => go(e, `/project/${projectId}`)}>
                      {t('inboxOpenProject')}
                    </a>
                  ) : (
                    <small class="muted">{t('inboxNoForm')}</small>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/** One record of GET /inbox/done. */
interface Done {
  eventId: string;
  type: string;
  label: string | null;
  article: string | null;
  occurredAt: string;
  subject: { kind: 'PROJECT' | 'ANNUAL_PLAN' | 'SYSTEM' | 'FRAMEWORK'; id: string; name: string | null };
}

const DONE_PAGE = 50;

/** 已办: what the caller recorded, across projects, annual plans, systems and frameworks, newest first. */
function DoneList() {
  const { t, lang, session, navigate } = useApp();
  const [done, setDone] = useState<{ items: Done[]; total: number } | null>(null);
  const [page, setPage] = useState(1);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    setFailed(false);
    api<{ items: Done[]; total: number }>(session.token, `/inbox/done?page=${page}&pageSize=${DONE_PAGE}`, {
      signal: controller.signal,
    })
      .then((answer) =>
        setDone((previous) =>
          page === 1 || !previous ? answer : { items: [...previous.items, ...answer.items], total: answer.total },
        ),
      )
      .catch((error: Error) => error.name !== 'AbortError' && setFailed(true));
    return () => controller.abort();
  }, [session.token, page]);

  const subjectOf = (d: Done) => {
    const name = d.subject.name ?? t('doneUnnamed');
    if (d.subject.kind !== 'PROJECT') return <span>{name}</span>;
    const href = `/project/${d.subject.id}`;
    return (
      <a href={href} onClick={(e) => (e.preventDefault(), navigate(href))}>
        {name}
      </a>
    );
  };

  return (
    <section class="card inbox" data-testid="done" aria-labelledby="done-title">
      <div class="inbox-head">
        <h2 id="done-title">{t('doneTitle')}</h2>
        <p>{done ? t('doneScope', { n: done.total }) : ''}</p>
      </div>
      {failed ? (
        <p>{t('unavailable')}</p>
      ) : done === null ? (
        <p aria-busy="true">{t('loading')}</p>
      ) : done.items.length === 0 ? (
        <p data-testid="done-empty">{t('doneEmpty')}</p>
      ) : (
        <>
          <ol class="inbox-items">
            {done.items.map((d) => (
              <li key={d.eventId} class="inbox-item" data-testid="done-item">
                <div class="inbox-main">
                  <strong class="inbox-kind">{lang === 'zh' ? (d.label ?? d.type) : d.type}</strong>
                  {d.article && <span class="art">{d.article}</span>}
                  <div class="inbox-subject">{subjectOf(d)}</div>
                </div>
                <div class="inbox-due">
                  <time dateTime={d.occurredAt}>{dateTime(d.occurredAt, lang)}</time>
                </div>
              </li>
            ))}
          </ol>
          {done.items.length < done.total && (
            <button class="secondary" onClick={() => setPage(page + 1)} data-testid="done-more">
              {t('doneMore')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
