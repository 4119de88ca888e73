import type { ReactNode } from "react";
import { ChartFigure } from "@/components/ui/chart-figure";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";

interface Props<T> {
  label: string;
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  empty: (data: T) => boolean;
  title: string;
  summary: (data: T) => string;
  chart: (data: T) => ReactNode;
  table: (data: T) => ReactNode;
}

/** One analytics chart in its card: loading, error and empty states, and its table view. */
export function ChartCard<T>({ label, query, empty, title, summary, chart, table }: Props<T>) {
  return (
    <section className="card analytics-card" aria-label={label}>
      <QueryState query={query} loadingLabel={`Loading ${label.toLowerCase()}…`}>
        {(data) => empty(data) ? (
          <>
            <h2>{title}</h2>
            <EmptyState title="Nothing in this range." />
          </>
        ) : (
          <ChartFigure title={title} summary={summary(data)} chart={chart(data)} table={table(data)} />
        )}
      </QueryState>
    </section>
  );
}

export const COLOURS = ["#1f5fbf", "#136329", "#b45309", "#7c3aed", "#b42318", "#0e7490", "#55606e"];
