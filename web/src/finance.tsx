import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { Bars, type Datum } from './charts';
import { useApp } from './context';
import { money, moneyShort } from './format';
import { pick, STATUS, STATUS_ORDER } from './i18n';

/** The funds of a group of projects as GET /dashboard/summary sums them (第八、十七、十九条). */
interface Funds {
  count?: number;
  approvedEstimateFen?: number;
  releasedFen?: number;
  executedFen?: number;
  surplusFen?: number;
  surplusOutstandingFen?: number;
}
interface FinanceSummary {
  byStatus: Record<string, Funds>;
  byDepartment: Record<string, Funds>;
  byPlanYear: Record<string, Funds>;
  funds: Funds;
}

/**
 * 财务视图: approved vs released vs executed investment and surplus for the caller's scope (a
 * department sees only its own, as the summary does), per department, and by stage and plan year
 * as charts; a stage opens the project list filtered to it.
 */
export function FinanceView() {
  const { t, lang, navigate, deptName, session } = useApp();
  const [summary, setSummary] = useState<FinanceSummary | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    api<FinanceSummary>(session.token, '/dashboard/summary')
      .then(setSummary)
      .catch(() => setFailed(true));
  }, [session.token]);
  const fmt = (v: number) => moneyShort(v, lang);
  const approved = (g: Funds) => g.approvedEstimateFen ?? 0;
  const byStage: Datum[] = summary
    ? STATUS_ORDER.filter((s) => summary.byStatus[s] && approved(summary.byStatus[s]) > 0).map((s) => ({
        key: s,
        label: pick(lang, STATUS[s]),
        value: approved(summary.byStatus[s]),
        color: STATUS[s][2],
      }))
    : [];
  const byYear: Datum[] = summary
    ? Object.keys(summary.byPlanYear)
        .filter((y) => y !== 'null')
        .sort()
        .map((y) => ({
          key: y,
          label: lang === 'zh' ? `${y}年` : y,
          value: approved(summary.byPlanYear[y]),
          color: '#3f6cc0',
        }))
    : [];
  const f = summary?.funds;
  const kpi = (label: string, value: number | undefined, testId: string) => (
    <div class="kpi" data-testid={testId}>
      <span>{label}</span>
      <strong>{summary ? money(value ?? 0, lang, 0) : '—'}</strong>
    </div>
  );
  if (failed) return <p class="error">{t('financeFailed')}</p>;
  return (
    <div class="finance" data-testid="finance">
      <h1 class="page-title">{t('finance')}</h1>
      <section class="kpis" aria-busy={summary ? 'false' : 'true'}>
        {kpi(t('approvedInvestment'), f?.approvedEstimateFen, 'fin-approved')}
        {kpi(t('released'), f?.releasedFen, 'fin-released')}
        {kpi(t('executed'), f?.executedFen, 'fin-executed')}
        {kpi(t('surplus'), f?.surplusFen, 'fin-surplus')}
        {kpi(t('surplusOutstanding'), f?.surplusOutstandingFen, 'fin-surplus-outstanding')}
      </section>
      <section class="grid two" aria-busy={summary ? 'false' : 'true'}>
        <div class="card">
          <h2>{t('approvedByStage')}</h2>
          <Bars
            data={byStage}
            format={fmt}
            title={t('approvedByStage')}
            testId="chart-fin-stage"
            onPick={(status) => navigate(`/?status=${encodeURIComponent(status)}`)}
          />
        </div>
        <div class="card">
          <h2>{t('approvedByYear')}</h2>
          <Bars data={byYear} format={fmt} title={t('approvedByYear')} testId="chart-fin-year" />
        </div>
      </section>
      <section class="card">
        <h2>{t('fundsByDepartment')}</h2>
        {!summary ? (
          <p class="muted" aria-busy="true">
            {t('loading')}
          </p>
        ) : (
          <div class="table-wrap">
            <table class="projects" data-testid="fin-departments">
              <thead>
                <tr>
                  <th scope="col">{t('department')}</th>
                  <th scope="col" class="num">
                    {t('approvedInvestment')}
                  </th>
                  <th scope="col" class="num">
                    {t('released')}
                  </th>
                  <th scope="col" class="num">
                    {t('executed')}
                  </th>
                  <th scope="col" class="num">
                    {t('surplus')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(summary.byDepartment).map(([code, g]) => (
                  <tr key={code} data-testid="fin-department" data-code={code}>
                    <td>{deptName(code)}</td>
                    <td class="num" data-label={t('approvedInvestment')}>
                      {money(g.approvedEstimateFen ?? 0, lang)}
                    </td>
                    <td class="num" data-label={t('released')}>
                      {money(g.releasedFen ?? 0, lang)}
                    </td>
                    <td class="num" data-label={t('executed')}>
                      {money(g.executedFen ?? 0, lang)}
                    </td>
                    <td class="num" data-label={t('surplus')}>
                      {money(g.surplusFen ?? 0, lang)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
