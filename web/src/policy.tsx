import type { PolicyInfo } from './context';
import type { Lang } from './i18n';
import { translate } from './i18n';

/** An ISO civil date as the measures write it: 2025年6月21日 / 21 June 2025. */
function civilDate(iso: string, lang: Lang): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (lang === 'zh') return `${y}年${m}月${d}日`;
  const month = new Date(Date.UTC(y, m - 1, d)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
  return `${d} ${month} ${y}`;
}

function dayAfter(iso: string): string {
  const next = new Date(`${iso}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/**
 * 第三十三条: the measures are in force five years. After their end, and until a successor policy
 * is configured, every decision still rests on them; the banner says so on every page.
 */
export function PolicyLapsedBanner({ policy, lang }: { policy: PolicyInfo | null | undefined; lang: Lang }) {
  if (!policy?.lapsed) return null;
  const text = translate(lang, 'policyLapsedBanner', {
    until: civilDate(policy.effectiveUntil, lang),
    since: civilDate(dayAfter(policy.effectiveUntil), lang),
    id: policy.id,
  });
  return (
    <div class="policy-lapsed" role="alert" data-testid="policy-lapsed" data-policy={policy.id}>
      <span class="policy-lapsed-icon" aria-hidden="true">
        !
      </span>
      <span>{text}</span>
    </div>
  );
}
