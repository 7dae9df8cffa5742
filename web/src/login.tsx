import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { makeT } from './context';
import { pick, ROLE, type Lang } from './i18n';

interface Identity {
  key: string;
  role: string;
  name: string;
  department?: string;
  departmentName?: string;
  token: string;
}

export function Login(props: {
  lang: Lang;
  setLang: (l: Lang) => void;
  devIdentities: boolean;
  onSignIn: (token: string) => boolean;
}) {
  const { lang } = props;
  const t = makeT(lang);
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const [identities, setIdentities] = useState<Identity[]>([]);

  useEffect(() => {
    if (!props.devIdentities) return;
    api<{ identities: Identity[] }>(null, '/dev/identities')
      .then((r) => setIdentities(r.identities))
      .catch(() => setIdentities([]));
  }, [props.devIdentities]);

  const people = identities.filter((i) => i.role !== 'CONSTRUCTION_UNIT');
  const units = identities.filter((i) => i.role === 'CONSTRUCTION_UNIT');

  return (
    <div class="login">
      <div class="login-card">
        <div class="login-head">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <div>
            <h1>{t('appTitle')}</h1>
            <p>{t('appSub')}</p>
          </div>
          <button class="lang" onClick={() => props.setLang(lang === 'zh' ? 'en' : 'zh')} data-testid="lang-toggle">
            {lang === 'zh' ? 'EN' : '中文'}
          </button>
        </div>
        {identities.length > 0 && (
          <section class="dev" data-testid="dev-identities">
            <h2>{t('devIdentities')}</h2>
            <p class="hint">{t('devHint')}</p>
            <div class="identity-grid">
              {people.map((i) => (
                <button
                  key={i.key}
                  class="identity"
                  data-testid={`identity-${i.key}`}
                  onClick={() => props.onSignIn(i.token)}
                >
                  <strong>{pick(lang, ROLE[i.role], i.role)}</strong>
                  <small>{i.name}</small>
                </button>
              ))}
            </div>
            <h3>{pick(lang, ROLE.CONSTRUCTION_UNIT)}</h3>
            <div class="identity-grid units">
              {units.map((i) => (
                <button
                  key={i.key}
                  class="identity unit"
                  data-testid={`identity-${i.key}`}
                  onClick={() => props.onSignIn(i.token)}
                >
                  <strong>{i.departmentName}</strong>
                  <small>{i.department}</small>
                </button>
              ))}
            </div>
          </section>
        )}
        <form
          class="paste"
          onSubmit={(e) => {
            e.preventDefault();
            setError(props.onSignIn(token) ? '' : t('invalidToken'));
          }}
        >
          <label for="token">{t('pasteToken')}</label>
          <textarea
            id="token"
            data-testid="token-input"
            rows={3}
            value={token}
            onInput={(e) => setToken((e.target as HTMLTextAreaElement).value)}
            placeholder="eyJhbGciOiJIUzI1NiIs…"
          />
          <p class="hint">{t('pasteHint')}</p>
          {error && <p class="error">{error}</p>}
          <button type="submit" class="primary" data-testid="token-submit" disabled={!token.trim()}>
            {t('useToken')}
          </button>
        </form>
      </div>
    </div>
  );
}
