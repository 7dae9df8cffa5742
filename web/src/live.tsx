import type { StreamEvent } from './api';
import { useApp } from './context';
import { dateTime } from './format';
import { FAMILY, pick, ROLE } from './i18n';

export function LiveView({ feed }: { feed: StreamEvent[] }) {
  const { t, lang, navigate, deptName } = useApp();
  return (
    <section class="card">
      <h2>{t('liveTitle')}</h2>
      {feed.length === 0 ? (
        <p class="muted">{t('liveEmpty')}</p>
      ) : (
        <ol class="timeline live" data-testid="live-feed">
          {feed.map((e) => {
            const fam = FAMILY[e.family ?? ''];
            const projectId = e.streamId.startsWith('project-') ? e.streamId.slice(8) : null;
            const actor = e.metadata.actor;
            return (
              <li
                key={e.position}
                style={{ '--fc': fam?.[2] ?? '#999' }}
                class="arrive"
                onClick={() => projectId && navigate(`/project/${projectId}`)}
              >
                <span class="dot" />
                <div class="tl-body">
                  <div class="tl-top">
                    <strong>{lang === 'zh' ? (e.label ?? e.type) : e.type}</strong>
                    <span class="fam-chip">{pick(lang, fam, e.family ?? '')}</span>
                  </div>
                  <div class="tl-meta">
                    <span>{String((e.data as { name?: string }).name ?? projectId?.slice(0, 8) ?? e.streamId)}</span>
                    <span>
                      {actor
                        ? `${actor.name ?? ''} · ${pick(lang, ROLE[actor.role], actor.role)}` +
                          (actor.department ? ` · ${deptName(actor.department)}` : '')
                        : t('system')}
                    </span>
                    {e.metadata.article && <span class="art">{e.metadata.article}</span>}
                    <time>{dateTime(e.metadata.occurredAt, lang)}</time>
                  </div>
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
