/** Small charts drawn with CSS and inline SVG: no chart library, a few hundred bytes each. */
import type { ReactNode } from "react";

/** A stage per line, each bar as wide as its share of the largest (centred, so it reads as a funnel). */
export function Funnel({ stages, format }: {
  stages: { stage: string; count: number; value: number; weighted: number }[];
  format: (n: number) => string;
}) {
  const top = Math.max(1, ...stages.map((s) => s.count));
  if (!stages.length) return <p className="muted">No open deals.</p>;
  return (
    <ol className="funnel" data-testid="funnel">
      {stages.map((s) => (
        <li key={s.stage} data-testid="funnel-stage" data-stage={s.stage} data-count={s.count} data-value={s.value}>
          <span className="funnel-label">{s.stage}</span>
          <span className="funnel-track">
            <span className="funnel-bar" style={{ width: `${Math.max(4, (100 * s.count) / top)}%` }}>{s.count}</span>
          </span>
          <span className="num">{format(s.value)}</span>
          <span className="num muted" title="Weighted by each deal's probability">{format(s.weighted)}</span>
        </li>
      ))}
    </ol>
  );
}

/** Horizontal bars, one per row, as long as its share of the largest value. */
export function BarList<T>({ rows, label, value, format, testId, extra }: {
  rows: T[];
  label: (row: T) => string;
  value: (row: T) => number;
  format: (n: number) => string;
  testId: string;
  extra?: (row: T) => ReactNode;
}) {
  const top = Math.max(0, ...rows.map(value));
  if (!rows.length) return <p className="muted">Nothing here.</p>;
  return (
    <ul className="bar-list">
      {rows.map((row) => (
        <li key={label(row)} data-testid={testId} data-label={label(row)} data-value={value(row)}>
          <span className="bar-label" title={label(row)}>{label(row)}</span>
          <span className="bar-track"><span className="bar" style={{ width: `${top ? (100 * value(row)) / top : 0}%` }} /></span>
          <span className="num">{format(value(row))}</span>
          {extra && <span className="num muted">{extra(row)}</span>}
        </li>
      ))}
    </ul>
  );
}

export interface Series {
  name: string;
  className: string;
  values: number[];
}

/** Columns per category (months), the series side by side; each column's value is its tooltip. */
export function ColumnChart({ categories, series, format, testId }: {
  categories: string[];
  series: Series[];
  format: (n: number) => string;
  testId: string;
}) {
  if (!categories.length) return <p className="muted">Nothing here yet.</p>;
  const height = 160;
  const slot = Math.max(36, Math.min(80, 640 / categories.length));
  const bar = (slot - 10) / series.length;
  const top = Math.max(1, ...series.flatMap((s) => s.values));
  const width = slot * categories.length;
  return (
    <figure className="column-chart" data-testid={testId}>
      <svg viewBox={`0 0 ${width} ${height + 34}`} width={width} height={height + 34} role="img"
        aria-label={series.map((s) => s.name).join(" and ")}>
        <line x1={0} x2={width} y1={height} y2={height} className="axis" />
        {categories.map((category, i) => (
          <g key={category} transform={`translate(${i * slot + 5}, 0)`}>
            {series.map((s, j) => {
              const h = (s.values[i] / top) * (height - 16);
              return (
                <rect key={s.name} className={s.className} x={j * bar} y={height - h} width={bar - 2} height={h}>
                  <title>{`${category} · ${s.name}: ${format(s.values[i])}`}</title>
                </rect>
              );
            })}
            <text x={(slot - 10) / 2} y={height + 14} textAnchor="middle" className="tick">{category}</text>
          </g>
        ))}
      </svg>
      <figcaption className="legend">
        {series.map((s) => <span key={s.name}><i className={s.className} /> {s.name}</span>)}
      </figcaption>
    </figure>
  );
}
