import { render } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, decodeToken, openEventStream, setUnauthorizedHandler, type StreamEvent } from './api';
import { Ctx, makeT, type AppCtx, type CommandMeta, type Department, type PolicyInfo, type Session } from './context';
import { pick, ROLE, FAMILY, type Lang } from './i18n';
import { Login } from './login';
import { Portfolio } from './portfolio';
import { ProjectView } from './project';
import { LiveView } from './live';
import { InboxBadge, InboxView, useInbox } from './inbox';
import { PolicyLapsedBanner } from './policy';
import { FinanceView } from './finance';
import './styles.css';

const TOKEN_KEY = 'ordos.token';
const LANG_KEY = 'ordos.lang';

function loadSession(): Session | null {
  const token = localStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  const claims = decodeToken(token);
  if (!claims || (claims.exp && claims.exp * 1000 < Date.now())) return null;
  return { token, claims };
}

function usePath(): [string, (p: string) => void] {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const on = () => setPath(location.pathname);
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  const navigate = useCallback((p: string) => {
    if (p !== location.pathname + location.search) history.pushState(null, '', p);
    // the path without its query (?action= opens a form on the project page)
    setPath(p.split('?')[0]);
    scrollTo({ top: 0 });
  }, []);
  return [path, navigate];
}

/** GET /meta/info: what the dashboard needs before anyone signs in. */
interface Meta {
  devIdentities: boolean;
  departments: Department[];
  policy?: PolicyInfo | null;
}

interface Toast {
  id: number;
  event: StreamEvent;
}

function App() {
  const [lang, setLang] = useState<Lang>((localStorage.getItem(LANG_KEY) as Lang) || 'zh');
  const [session, setSession] = useState<Session | null>(loadSession);
  const [meta, setMeta] = useState<Meta | null>(null);
  const [commands, setCommands] = useState<CommandMeta[]>([]);
  const [path, navigate] = usePath();
  const [live, setLive] = useState<'connecting' | 'open' | 'closed'>('connecting');
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [feed, setFeed] = useState<StreamEvent[]>([]);
  const listeners = useRef(new Set<(e: StreamEvent) => void>());
  const t = useMemo(() => makeT(lang), [lang]);
  const subscribe = useCallback((fn: (e: StreamEvent) => void) => {
    listeners.current.add(fn);
    return () => void listeners.current.delete(fn);
  }, []);
  // 待办: counted in the top bar on every screen, refreshed by the live stream
  const { inbox, failed: inboxFailed } = useInbox(session?.token ?? null, subscribe);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('appTitle');
    localStorage.setItem(LANG_KEY, lang);
  }, [lang]);

  useEffect(() => {
    api<Meta>(null, '/meta/info')
      .then(setMeta)
      .catch(() => setMeta({ devIdentities: false, departments: [] }));
    api<{ commands: CommandMeta[] }>(null, '/meta/commands')
      .then((m) => setCommands(m.commands))
      .catch(() => undefined);
  }, []);

  const signOut = useCallback(() => {
    localStorage.removeItem(TOKEN_KEY);
    setSession(null);
    setFeed([]);
  }, []);
  useEffect(() => setUnauthorizedHandler(signOut), [signOut]);

  useEffect(() => {
    if (!session) return;
    return openEventStream(
      session.token,
      (event) => {
        setFeed((f) => [event, ...f].slice(0, 200));
        const id = Number(event.position) || Date.now();
        setToasts((ts) => [...ts.slice(-2), { id, event }]);
        setTimeout(() => setToasts((ts) => ts.filter((x) => x.id !== id)), 6000);
        for (const fn of listeners.current) fn(event);
      },
      setLive,
    );
  }, [session?.token]);

  if (!meta) return <div class="boot">…</div>;

  if (!session) {
    return (
      <Login
        lang={lang}
        setLang={setLang}
        devIdentities={meta.devIdentities}
        onSignIn={(token) => {
          const claims = decodeToken(token);
          if (!claims) return false;
          localStorage.setItem(TOKEN_KEY, token.trim());
          setSession({ token: token.trim(), claims });
          return true;
        }}
      />
    );
  }

  const deptName = (code: string | null | undefined) => {
    if (!code) return '—';
    const d = meta.departments.find((x) => x.code === code);
    return d ? (lang === 'zh' ? d.name : d.nameEn) : code;
  };

  const ctx: AppCtx = {
    lang,
    t,
    session,
    departments: meta.departments,
    commands,
    navigate,
    deptName,
    onLive: subscribe,
  };

  const projectMatch = /^\/project\/([0-9a-fA-F-]{36})$/.exec(path);
  const view = projectMatch
    ? 'project'
    : path === '/live'
      ? 'live'
      : path === '/todo'
        ? 'inbox'
        : path === '/finance'
          ? 'finance'
          : 'portfolio';
  const { claims } = session;

  return (
    <Ctx.Provider value={ctx}>
      <header class="topbar">
        <a class="brand" href="/" onClick={(e) => (e.preventDefault(), navigate('/'))}>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <span>
            <strong>{t('appTitle')}</strong>
            <small>{t('appSub')}</small>
          </span>
        </a>
        <nav>
          <a href="/" class={view === 'portfolio' ? 'active' : ''} onClick={(e) => (e.preventDefault(), navigate('/'))}>
            {t('portfolio')}
          </a>
          <a
            href="/todo"
            class={view === 'inbox' ? 'active' : ''}
            data-testid="nav-inbox"
            onClick={(e) => (e.preventDefault(), navigate('/todo'))}
          >
            {t('inbox')}
            <InboxBadge inbox={inbox} />
          </a>
          <a
            href="/finance"
            class={view === 'finance' ? 'active' : ''}
            data-testid="nav-finance"
            onClick={(e) => (e.preventDefault(), navigate('/finance'))}
          >
            {t('finance')}
          </a>
          <a
            href="/live"
            class={view === 'live' ? 'active' : ''}
            data-testid="nav-live"
            onClick={(e) => (e.preventDefault(), navigate('/live'))}
          >
            {t('live')}
            {feed.length > 0 && <span class="count-pill">{feed.length}</span>}
          </a>
        </nav>
        <div class="top-right">
          <span
            class={`live-dot ${live}`}
            data-testid="live-state"
            data-state={live}
            title={live === 'open' ? t('connected') : t('reconnecting')}
          >
            {live === 'open' ? t('connected') : t('reconnecting')}
          </span>
          <button class="lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} data-testid="lang-toggle">
            {lang === 'zh' ? 'EN' : '中文'}
          </button>
          <span class="user" data-testid="user">
            <strong>{claims.name ?? claims.sub}</strong>
            <small>
              {pick(lang, ROLE[claims.role], claims.role)}
              {claims.department ? ` · ${deptName(claims.department)}` : ''}
            </small>
          </span>
          <button class="ghost" onClick={signOut} data-testid="sign-out">
            {t('signOut')}
          </button>
        </div>
      </header>
      <PolicyLapsedBanner policy={meta.policy} lang={lang} />
      <main class="page">
        {view === 'portfolio' && <Portfolio />}
        {view === 'project' && projectMatch && <ProjectView id={projectMatch[1].toLowerCase()} key={projectMatch[1]} />}
        {view === 'live' && <LiveView feed={feed} />}
        {view === 'finance' && <FinanceView />}
        {view === 'inbox' && <InboxView inbox={inbox} failed={inboxFailed} />}
      </main>
      <div class="toasts" aria-live="polite">
        {toasts.map(({ id, event }) => (
          <div class="toast" key={id} data-testid="toast">
            <span class="fam" style={{ background: FAMILY[event.family ?? '']?.[2] ?? '#888' }} />
            <div>
              <strong>{t('newEvent')}</strong> · {event.label ?? event.type}
              <small>
                {String((event.data as { name?: string }).name ?? event.streamId.replace(/^project-/, '').slice(0, 8))}
              </small>
            </div>
          </div>
        ))}
      </div>
    </Ctx.Provider>
  );
}

render(<App />, document.getElementById('app')!);
