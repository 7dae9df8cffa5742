/** Hand-rolled SVG charts: no chart library, no CDN, CSP-safe. */

export interface Datum {
  key: string;
  label: string;
  value: number;
  color: string;
  /** shown in the tooltip and under the label */
  detail?: string;
}

export function Bars({ data, format, testId }: { data: Datum[]; format: (v: number) => string; testId?: string }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const rowH = 30;
  const labelW = 128;
  const width = 460;
  const barW = width - labelW - 64;
  const height = Math.max(rowH, data.length * rowH);
  if (data.length === 0) return <div class="empty">—</div>;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      data-testid={testId}
      preserveAspectRatio="xMinYMin meet"
    >
      {data.map((d, i) => {
        const y = i * rowH;
        const w = Math.max(2, (d.value / max) * barW);
        return (
          <g key={d.key} class="bar" data-key={d.key} data-value={d.value}>
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
  );
}

export function Donut({
  data,
  format,
  centerLabel,
  testId,
}: {
  data: Datum[];
  format: (v: number) => string;
  centerLabel: string;
  testId?: string;
}) {
  const total = data.reduce((s, d) => s + d.value, 0);
  const r = 62;
  const c = 2 * Math.PI * r;
  let offset = 0;
  return (
    <div class="donut-wrap">
      <svg class="chart donut" viewBox="0 0 180 180" role="img" data-testid={testId}>
        <circle cx="90" cy="90" r={r} class="track-ring" />
        {total > 0 &&
          data.map((d) => {
            const len = (d.value / total) * c;
            const seg = (
              <circle
                key={d.key}
                class="slice"
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
  );
}
