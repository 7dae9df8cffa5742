import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, download, type Problem } from './api';
import { Actions, ProblemBox, type ProjectLike } from './actions';
import { useApp } from './context';
import { dateOnly, dateTime, fromLocalInput, money, percent, toLocalInput } from './format';
import { CATEGORY, DEADLINE_KIND, FAMILY, pick, RECT_STATUS, ROLE } from './i18n';
import { StatusBadge } from './portfolio';
import { EventDetail } from './event-detail';

interface HistoryEvent {
  position: string;
  revision: number;
  type: string;
  label: string | null;
  family: string | null;
  article: string | null;
  data: Record<string, unknown>;
  metadata: {
    occurredAt: string;
    actor?: { name?: string; role: string; department?: string };
    article?: string;
    policy?: string;
    policyLapsed?: boolean;
    eventId?: string;
    hash?: string;
  };
}

interface Obligation {
  kind: string;
  year?: number;
  dueOn: string;
  article: string;
  overdue: boolean;
}

interface Rectification {
  rectificationId: string;
  status: string;
  findings: string[];
  deadline: string;
  article: string;
}

/** GET /projects/:id: the read model's document of the project (the fields this view shows). */
interface ProjectDetail extends ProjectLike {
  name: string;
  category: string;
  departmentCode: string;
  estimateFen: number;
  adjustedRatio: number;
  implementingBody: string | null;
  responsiblePerson: string | null;
  supervisionUnit: string | null;
  fastTrack: boolean;
  dates?: {
    startedOn?: string | null;
    completedOn?: string | null;
    acceptanceDueOn?: string | null;
    acceptedOn?: string | null;
    acceptanceMissedDueOn?: string | null;
  };
  /** 第二十一条: as the acceptance decided it; null until accepted */
  acceptedOnTime?: boolean | null;
  omEligibility?: { eligible: boolean; reasons?: Array<string | { code?: string; messageZh?: string }> };
  openObligations: Obligation[];
  rectifications: Rectification[];
  /** read model v13: where the project stands within its status */
  subStatus?: string | null;
  /** 第三十三条: the policy of the latest decision and whether it had lapsed (read model v5). */
  policy?: { id: string; lapsed: boolean } | null;
}

/** The state folded from the stream (GET /projects/:id/state), as far as this view reads it. */
interface FoldedState {
  status: string | null;
  subStatus?: string | null;
  stageApproved: boolean;
  approvedEstimateFen: number | null;
  // the stateView's facts the facts card shows in a past view
  planYear?: number | null;
  estimateFen?: number;
  currentTotalFen?: number | null;
  implementingBody?: string | null;
  responsiblePerson?: string | null;
  supervisionUnit?: string | null;
  startedOn?: string | null;
  completedOn?: string | null;
  acceptanceDueOn?: string | null;
  acceptanceMissedDueOn?: string | null;
  acceptedOn?: string | null;
  acceptedOnTime?: boolean | null;
}

/** The state as of an instant; revision -1: the project did not exist yet (404). */
type StateAt = { revision: number; state: FoldedState } | { revision: -1 };

type Integrity = { ok: boolean; checked: number; brokenAt?: unknown };

export function ProjectView({ id }: { id: string }) {
  const { t, lang, session, onLive, navigate, deptName } = useApp();
  const [project, setProject] = useState<ProjectDetail | null>(null);
  const [error, setError] = useState<Problem | null>(null);
  const [history, setHistory] = useState<HistoryEvent[] | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const [historyDenied, setHistoryDenied] = useState(false);
  const [current, setCurrent] = useState<FoldedState | null>(null);
  const [integrity, setIntegrity] = useState<Integrity | null>(null);
  const [slider, setSlider] = useState<number | null>(null);
  const [asOf, setAsOf] = useState<string | null>(null);
  const [past, setPast] = useState<StateAt | null>(null);
  const [tick, setTick] = useState(0);
  const [minRevision, setMinRevision] = useState<number | undefined>(undefined);
  const role = session.claims.role;
  const mayVerify = role === 'AUDIT' || role === 'OFFICE';
  const timer = useRef<number>();

  useEffect(() => {
    const q = minRevision !== undefined ? `?minRevision=${minRevision}` : '';
    api<ProjectDetail>(session.token, `/projects/${id}${q}`)
      .then((p) => (setProject(p), setError(null)))
      .catch((e) => setError(e instanceof ApiError ? e.problem : { status: 0 }));
    api<{ events: HistoryEvent[] }>(session.token, `/projects/${id}/history`)
      .then((h) => {
        setHistory(h.events);
        setHistoryDenied(false);
      })
      .catch((e) => {
        if (e instanceof ApiError && e.problem.status === 403) setHistoryDenied(true);
      });
    api<{ state: FoldedState }>(session.token, `/projects/${id}/state`)
      .then((s) => setCurrent(s.state))
      .catch(() => setCurrent(null));
    if (mayVerify)
      api<Integrity>(session.token, `/audit/verify?projectId=${id}`)
        .then(setIntegrity)
        .catch(() => setIntegrity(null));
  }, [id, tick, minRevision]);

  useEffect(
    () =>
      onLive((e) => {
        if (e.streamId !== `project-${id}`) return;
        clearTimeout(timer.current);
        timer.current = window.setTimeout(() => setMinRevision(e.revision), 150);
      }),
    [id],
  );

  // Print shows every event's content: the disclosures open for paper, and close again after.
  useEffect(() => {
    let opened: HTMLDetailsElement[] = [];
    const before = () => {
      opened = [...document.querySelectorAll<HTMLDetailsElement>('details.ev-detail:not([open])')];
      opened.forEach((d) => (d.open = true));
    };
    const after = () => opened.forEach((d) => (d.open = false));
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => (window.removeEventListener('beforeprint', before), window.removeEventListener('afterprint', after));
  }, []);

  // Time travel: the state as of the chosen moment, rebuilt by the server from the stream.
  useEffect(() => {
    if (!asOf) {
      setPast(null);
      return;
    }
    const controller = new AbortController();
    api<StateAt>(session.token, `/projects/${id}/state?asOf=${encodeURIComponent(asOf)}`, { signal: controller.signal })
      .then(setPast)
      .catch((e) => {
        if (e instanceof ApiError && e.problem.status === 404) setPast({ revision: -1 });
      });
    return () => controller.abort();
  }, [asOf, id]);

  if (error) {
    return (
      <div>
        <button class="ghost" onClick={() => navigate('/')}>
          ← {t('back')}
        </button>
        <ProblemBox problem={error} lang={lang} />
      </div>
    );
  }
  if (!project) return <p class="muted">{t('loading')}</p>;

  const events = history ?? [];
  const last = events.length - 1;
  const pos = slider ?? last;
  const chooseIndex = (i: number) => {
    setSlider(i);
    setAsOf(i >= last ? null : events[i].metadata.occurredAt);
  };
  const foldedTo = past ? past.revision : last;
  // The state as of the chosen moment (none when the project did not exist yet then).
  const pastState = past && 'state' in past ? past.state : null;

  // In a past view the facts card shows the facts folded as of that moment (the server's stateView).
  const shown: ProjectDetail =
    asOf && pastState
      ? {
          ...project,
          planYear: pastState.planYear ?? project.planYear,
          estimateFen: pastState.estimateFen ?? project.estimateFen,
          approvedEstimateFen: pastState.approvedEstimateFen,
          currentTotalFen: pastState.currentTotalFen ?? null,
          implementingBody: pastState.implementingBody ?? null,
          responsiblePerson: pastState.responsiblePerson ?? null,
          supervisionUnit: pastState.supervisionUnit ?? null,
          dates: {
            startedOn: pastState.startedOn ?? null,
            completedOn: pastState.completedOn ?? null,
            acceptanceDueOn: pastState.acceptanceDueOn ?? null,
            acceptedOn: pastState.acceptedOn ?? null,
            acceptanceMissedDueOn: pastState.acceptanceMissedDueOn ?? null,
          },
          acceptedOnTime: pastState.acceptedOnTime ?? null,
        }
      : project;
  const facts: Array<[string, string]> = [
    [t('category'), pick(lang, CATEGORY[shown.category], shown.category)],
    [t('department'), deptName(shown.departmentCode)],
    [t('planYear'), String(shown.planYear ?? '—')],
    [t('estimate'), money(shown.estimateFen, lang)],
    [t('approvedEstimate'), money(shown.approvedEstimateFen, lang)],
    [t('currentTotal'), money(shown.currentTotalFen, lang)],
    [t('adjustedRatio'), shown.approvedEstimateFen ? percent(shown.adjustedRatio) : '—'],
    [t('implementingBody'), shown.implementingBody ?? '—'],
    [t('responsiblePerson'), shown.responsiblePerson ?? '—'],
    [t('supervisionUnit'), shown.supervisionUnit ?? '—'],
    [t('startedOn'), dateOnly(shown.dates?.startedOn)],
    [t('completedOn'), dateOnly(shown.dates?.completedOn)],
    [t('acceptanceDueOn'), dateOnly(shown.dates?.acceptanceDueOn)],
    // 第二十一条: a due date once missed stays on record when an extension moves the due date
    ...(shown.dates?.acceptanceMissedDueOn
      ? [[t('acceptanceMissedDueOn'), dateOnly(shown.dates.acceptanceMissedDueOn)] as [string, string]]
      : []),
    [
      t('acceptedOn'),
      dateOnly(shown.dates?.acceptedOn) + (shown.acceptedOnTime === false ? ` · ${t('acceptedLate')}` : ''),
    ],
  ];

  return (
    <div class="project">
      <button class="ghost back" onClick={() => navigate('/')}>
        ← {t('back')}
      </button>
      <header class="project-head card">
        <div>
          <h1 data-testid="project-name">{project.name}</h1>
          <p class="muted">
            {deptName(project.departmentCode)} · {pick(lang, CATEGORY[project.category], project.category)} ·{' '}
            {t('revision')} {project.revision}
            {project.fastTrack && <span class="badge small">{t('fastTrack')}</span>}
            {project.policy?.lapsed && (
              <span
                class="badge warn small"
                data-testid="policy-lapsed-badge"
                title={t('policyLapsedHint', { id: project.policy.id })}
              >
                {t('policyLapsedBadge')}
              </span>
            )}
          </p>
        </div>
        <div class="head-right">
          <span data-testid="current-status">
            <StatusBadge status={project.status} subStatus={project.subStatus} />
          </span>
          {history !== null && !historyDenied && (
            <button
              type="button"
              class="small"
              data-testid="export-archive"
              onClick={() =>
                download(session.token, `/projects/${id}/archive.xlsx`, 'project.xlsx').then(
                  () => setExportError(null),
                  (e: unknown) => setExportError(e instanceof ApiError ? e.message : String(e)),
                )
              }
            >
              {t('exportArchive')}
            </button>
          )}
          <button
            type="button"
            class="small no-print"
            data-testid="print"
            onClick={() => {
              // open every event's details first (their content renders on opening), then print
              document.querySelectorAll<HTMLDetailsElement>('details.ev-detail').forEach((d) => (d.open = true));
              window.setTimeout(() => window.print(), 200);
            }}
          >
            {lang === 'zh' ? '打印' : 'Print'}
          </button>
          {integrity && (
            <span class={`integrity ${integrity.ok ? 'ok' : 'bad'}`} data-testid="integrity">
              {integrity.ok
                ? `✓ ${t('integrityOk', { n: integrity.checked })}`
                : `✗ ${t('integrityBroken', { at: JSON.stringify(integrity.brokenAt) })}`}
            </span>
          )}
        </div>
      </header>
      {asOf && (
        <div class="past-banner" role="status" data-testid="past-banner">
          <span>
            {lang === 'zh' ? '历史视图：' : 'Past view: '}
            {lang === 'zh' ? `正在查看 ${dateTime(asOf, lang)} 时的状态` : `the state as of ${dateTime(asOf, lang)}`}
          </span>
          <button type="button" class="small" onClick={() => (setAsOf(null), setSlider(null))}>
            {lang === 'zh' ? '回到当前' : 'Back to now'}
          </button>
        </div>
      )}
      {exportError && (
        <p class="error" role="alert">
          {t('exportFailed')}：{exportError}
        </p>
      )}

      <div class="grid project-grid">
        <div class="col">
          <section class="card">
            <h2>{t('currentState')}</h2>
            <dl class="facts">
              {facts.map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
            {project.omEligibility && (
              <p class={`om ${project.omEligibility.eligible ? 'ok' : 'bad'}`}>
                {t('om')}：{project.omEligibility.eligible ? t('omEligible') : t('omNotEligible')}
                {Array.isArray(project.omEligibility.reasons) && project.omEligibility.reasons.length > 0 && (
                  <small>
                    {' '}
                    ·{' '}
                    {project.omEligibility.reasons
                      .map((r) => (typeof r === 'string' ? r : (r.messageZh ?? r.code ?? JSON.stringify(r))))
                      .join('；')}
                  </small>
                )}
              </p>
            )}
          </section>

          <section class="card">
            <h2>{t('obligations')}</h2>
            {(project.openObligations ?? []).length === 0 ? (
              <p class="muted">{t('noObligations')}</p>
            ) : (
              <ul class="obligations">
                {project.openObligations.map((o, i) => (
                  <li key={i} class={o.overdue ? 'overdue' : ''}>
                    <strong>
                      {pick(lang, DEADLINE_KIND[o.kind], o.kind)}
                      {o.year ? ` ${o.year}` : ''}
                    </strong>
                    <span>
                      {t('deadline')} {o.dueOn} · {o.article}
                    </span>
                    {o.overdue && <span class="badge warn small">{t('overdueTitle')}</span>}
                  </li>
                ))}
              </ul>
            )}
            {(project.rectifications ?? []).length > 0 && (
              <>
                <h3>{t('rectifications')}</h3>
                <ul class="obligations">
                  {project.rectifications.map((r) => (
                    <li key={r.rectificationId}>
                      <strong>{r.findings.join('；')}</strong>
                      <span>
                        {r.article} · {t('deadline')} {r.deadline} · {pick(lang, RECT_STATUS[r.status], r.status)}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>

          {asOf ? (
            <section class="card no-print" data-testid="past-no-actions">
              <p class="muted">
                {lang === 'zh'
                  ? '历史视图中不提供操作：操作只针对当前状态。'
                  : 'No actions in a past view: actions are for now.'}
              </p>
            </section>
          ) : (
            <Actions
              projectId={id}
              project={{ ...project, stageApproved: current?.stageApproved }}
              onDone={(revision) => {
                setSlider(null);
                setAsOf(null);
                setMinRevision(revision);
                setTick((x) => x + 1);
              }}
            />
          )}
        </div>

        <div class="col">
          <section class="card travel" data-testid="time-travel">
            <h2>{t('timeTravel')}</h2>
            {historyDenied ? (
              <p class="muted">{t('historyForbidden')}</p>
            ) : events.length > 0 ? (
              <>
                <p class="hint">{t('asOfHint')}</p>
                <input
                  type="range"
                  min={0}
                  max={last}
                  step={1}
                  value={pos}
                  data-testid="time-slider"
                  aria-label={t('asOfHint')}
                  onInput={(e) => chooseIndex(Number((e.target as HTMLInputElement).value))}
                />
                <div class="travel-row">
                  <input
                    type="datetime-local"
                    step={1}
                    data-testid="as-of-input"
                    aria-label={t('asOfHint')}
                    value={toLocalInput(asOf ?? events[last].metadata.occurredAt)}
                    onChange={(e) => {
                      const v = (e.target as HTMLInputElement).value;
                      if (!v) return;
                      const instant = fromLocalInput(v);
                      setAsOf(instant);
                      const idx = events.findIndex((ev) => ev.metadata.occurredAt > instant);
                      setSlider(idx < 0 ? last : Math.max(0, idx - 1));
                    }}
                  />
                  {asOf && (
                    <button class="ghost small" onClick={() => (setAsOf(null), setSlider(null))}>
                      {t('asOfLatest')}
                    </button>
                  )}
                </div>
                <div class="as-of" data-testid="as-of-state">
                  <span class="muted">{asOf ? t('asOfAt', { t: dateTime(asOf, lang) }) : t('asOfLatest')}</span>
                  {past && past.revision === -1 ? (
                    <strong>{t('notYet')}</strong>
                  ) : (
                    <>
                      <span data-testid="as-of-status">
                        <StatusBadge
                          status={pastState ? pastState.status : project.status}
                          subStatus={pastState ? pastState.subStatus : project.subStatus}
                        />
                      </span>
                      <span class="muted">{t('eventsFolded', { n: (past ? past.revision : last) + 1 })}</span>
                      {pastState && (
                        <span class="muted">
                          {t('approvedEstimate')} {money(pastState.approvedEstimateFen, lang)}
                        </span>
                      )}
                    </>
                  )}
                </div>
              </>
            ) : (
              <p class="muted">{t('loading')}</p>
            )}
          </section>

          {!historyDenied && (
            <section class="card">
              <h2>
                {t('timeline')} <span class="muted small">({events.length})</span>
              </h2>
              <ol class="timeline" data-testid="timeline">
                {[...events].reverse().map((e) => {
                  const fam = FAMILY[e.family ?? ''];
                  const actor = e.metadata.actor;
                  return (
                    <li
                      key={e.position}
                      class={e.revision > foldedTo ? 'future' : ''}
                      style={{ '--fc': fam?.[2] ?? '#999' }}
                      data-type={e.type}
                    >
                      <span class="dot" />
                      <div class="tl-body">
                        <div class="tl-top">
                          <strong>{lang === 'zh' ? (e.label ?? e.type) : e.type}</strong>
                          <span class="fam-chip">{pick(lang, fam, e.family ?? '')}</span>
                        </div>
                        <div class="tl-meta">
                          <span>
                            {actor
                              ? `${actor.name ?? ''} · ${pick(lang, ROLE[actor.role], actor.role)}` +
                                (actor.department ? ` · ${deptName(actor.department)}` : '')
                              : t('system')}
                          </span>
                          {e.article && <span class="art">{e.article}</span>}
                          {e.metadata.policyLapsed && (
                            <span
                              class="badge warn small"
                              title={t('policyLapsedHint', { id: e.metadata.policy ?? '' })}
                            >
                              {t('policyLapsedEvent')}
                            </span>
                          )}
                          <time>{dateTime(e.metadata.occurredAt, lang)}</time>
                          <span class="rev">#{e.revision}</span>
                        </div>
                        <EventDetail
                          event={e}
                          lang={lang}
                          actorText={
                            actor
                              ? `${actor.name ?? ''} · ${pick(lang, ROLE[actor.role], actor.role)}` +
                                (actor.department ? ` · ${deptName(actor.department)}` : '')
                              : t('system')
                          }
                          openDoc={(documentId, name) =>
                            void download(session.token, `/projects/${id}/documents/${documentId}`, name).catch(
                              (err: unknown) => setExportError(err instanceof ApiError ? err.message : String(err)),
                            )
                          }
                        />
                      </div>
                    </li>
                  );
                })}
              </ol>
            </section>
          )}
        </div>
      </div>
    </div>
  );
}
