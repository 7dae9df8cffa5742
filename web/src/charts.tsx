/**
 * Hand-rolled SVG charts: no chart library, no CDN, CSP-safe. Each chart is an image with an
 * accessible name summarising its numbers and a data table under a toggle; with `onPick`, a bar or
 * segment opens the project list filtered to it (mouse on the chart, keyboard in the table).
 */
import { useApp } from './context';

export interface Datum {
  key: string;
  label: string;
  value: number;
  color: string;
  /** shown in the tooltip and under the label */
  detail?: string;
}

interface ChartProps {
  data: Datum[];
  format: (v: number) => string;
  /** the chart's title, used in its accessible name */
  title: string;
  testId?: string;
  /** drill-down: called with the datum's key */
  onPick?: (key: string) => void;
}

/** "按状态：共 4 项，建设中 2，已竣工 1…" — the text alternative of a chart. */
function summary(t: (k: string, v?: Record<string, string | number>) => string, p: ChartProps): string {
  const items = p.data.map((d) => `${d.label} ${p.format(d.value)}`).join('，');
  return t('chartSummary', { title: p.title, n: p.data.length, items });
}

/** The chart's numbers as a table (toggleable), with drill-down buttons when the chart has them. */
function DataTable(p: ChartProps) {
  const { t } = useApp();
  return (
    <details class="chart-data">
      <summary>{t('chartData')}</summary>
      <table data-testid={p.testId ? `${p.testId}-table` : undefined}>
        <caption class="visually-hidden">{p.title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('chartItem')}</th>
            <th scope="col" class="num">
              {t('chartValue')}
            </th>
          </tr>
        </thead>
        <tbody>
          {p.data.map((d) => (
            <tr key={d.key}>
              <th scope="row">
                {p.onPick ? (
                  <button
                    type="button"
                    class="link"
                    data-testid="chart-pick"
                    data-key={d.key}
                    onClick={() => p.onPick!(d.key)}
                  >
                    {d.label}
                  </button>
                ) : (
                  d.label
                )}
              </th>
              <td class="num">
                {p.format(d.value)}
                {d.detail ? ` · ${d.detail}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

export function Bars(props: ChartProps) {
  const { data, format, testId, onPick } = props;
  const { t } = useApp();
  const max = Math.max(1, ...data.map((d) => d.value));
  const rowH = 30;
  const labelW = 128;
  const width = 460;
  const barW = width - labelW - 64;
  const height = Math.max(rowH, data.length * rowH);
  if (data.length === 0) return <div class="empty">—</div>;
  return (
    <>
      <svg
        class="chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={summary(t, props)}
        data-testid={testId}
        preserveAspectRatio="xMinYMin meet"
      >
        {data.map((d, i) => {
          const y = i * rowH;
          const w = Math.max(2, (d.value / max) * barW);
          return (
            <g
              key={d.key}
              class={onPick ? 'bar pick' : 'bar'}
              data-key={d.key}
              data-value={d.value}
              onClick={onPick ? () => onPick(d.key) : undefined}
            >
              <title>{`${d.label}: ${format(d.value)}${d.detail ? ` · ${d.detail}` : ''}`}</title>
              <text x={labelW - 10} y={y + rowH / 2 + 4} text-anchor="end" class="chart-label">
                {d.label.length > 9 ? `${d.label.slice(0, 9)}…` : d.label}
              </text>
              <rect x={labelW} y={y + 6} width={barW} height={rowH - 12} rx={4} class="track" />
              <rect x={labelW} y={y + 6} width={w} height={rowH - 12} rx={4} fill={d.color} />
              <text x={labelW + w + 8} y={y + rowH / 2 + 4} class="chart-value">
                {format(d.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <DataTable {...props} />
    </>
  );
}

export function Donut(props: ChartProps & { centerLabel: string }) {
  const { data, format, centerLabel, testId, onPick } = props;
  const { t } = useApp();
  const total = data.reduce((s, d) => s + d.value, 0);
  const r = 62;
  const c = 2 * Math.PI * r;
  let offset = 0;
  return (
    <>
      <div class="donut-wrap">
        <svg class="chart donut" viewBox="0 0 180 180" role="img" aria-label={summary(t, props)} data-testid={testId}>
          <circle cx="90" cy="90" r={r} class="track-ring" />
          {total > 0 &&
            data.map((d) => {
              const len = (d.value / total) * c;
              const seg = (
                <circle
                  key={d.key}
                  class={onPick ? 'slice pick' : 'slice'}
                  onClick={onPick ? () => onPick(d.key) : undefined}
                  data-key={d.key}
                  data-value={d.value}
                  cx="90"
                  cy="90"
                  r={r}
                  fill="none"
                  stroke={d.color}
                  stroke-width="26"
                  stroke-dasharray={`${Math.max(0, len - 1.5)} ${c - Math.max(0, len - 1.5)}`}
                  stroke-dashoffset={-offset}
                  transform="rotate(-90 90 90)"
                >
                  <title>{`${d.label}: ${format(d.value)}`}</title>
                </circle>
              );
              offset += len;
              return seg;
            })}
          <text x="90" y="86" text-anchor="middle" class="donut-total">
            {format(total)}
          </text>
          <text x="90" y="106" text-anchor="middle" class="donut-caption">
            {centerLabel}
          </text>
        </svg>
        <ul class="legend">
          {data.map((d) => (
            <li key={d.key}>
              <span class="swatch" style={{ background: d.color }} />
              <span class="legend-label">{d.label}</span>
              <span class="legend-value">
                {format(d.value)}
                {total > 0 && <small> · {Math.round((d.value / total) * 100)}%</small>}
              </span>
              {d.detail && <span class="legend-detail">{d.detail}</span>}
            </li>
          ))}
        </ul>
      </div>
      <DataTable {...props} />
    </>
  );
}
