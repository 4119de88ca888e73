import { useId, useState, type ReactNode } from "react";

interface Props {
  title: string;
  /** One sentence saying what the chart shows, for everyone and for screen readers. */
  summary: string;
  chart: ReactNode;
  table: ReactNode;
}

/** A chart with its data as a table one click away: the table is the accessible view of the same numbers. */
export function ChartFigure({ title, summary, chart, table }: Props) {
  const [asTable, setAsTable] = useState(false);
  const id = useId();
  return (
    <figure className="chart-figure" aria-labelledby={`${id}-title`}>
      <div className="card-header">
        <h2 id={`${id}-title`}>{title}</h2>
        <button type="button" className="button button-secondary button-small" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
          {asTable ? "Show chart" : "Show table"}
        </button>
      </div>
      <figcaption className="muted">{summary}</figcaption>
      {asTable ? <div className="table-wrap">{table}</div> : <div className="chart-box" role="img" aria-label={`${title}: ${summary}`}>{chart}</div>}
    </figure>
  );
}
