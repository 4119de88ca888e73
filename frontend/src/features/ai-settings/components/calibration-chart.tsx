import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure } from "@/components/ui/chart-figure";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { useCalibration } from "../api/policy";
import type { ThresholdRow } from "../types";

const pct = (share: number | null) => (share === null ? "—" : `${Math.round(share * 1000) / 10}%`);

/** Threshold rows as chart points (percentages; null where nothing was reviewed, so the line breaks). */
export function chartPoints(rows: ThresholdRow[]) {
  return rows.map((r) => ({
    threshold: `${Math.round(r.threshold * 100)}%`,
    precision: r.precision === null ? null : Math.round(r.precision * 1000) / 10,
    autoSend: r.auto_send_share === null ? null : Math.round(r.auto_send_share * 1000) / 10,
  }));
}

/** The calibration report: at each threshold, how often people accepted drafts and how much would go out alone. */
export function CalibrationChart({ autoSendThreshold }: { autoSendThreshold?: number }) {
  const calibration = useCalibration();
  return (
    <section className="card" aria-label="Calibration">
      <QueryState query={calibration} loadingLabel="Loading the calibration report…">
        {(report) => report.decided === 0 ? (
          <EmptyState title="No decided messages yet."><p>The report fills in as the AI decides and people review its drafts.</p></EmptyState>
        ) : (
          <ChartFigure title="Precision and auto-send share per threshold"
            summary={`From ${report.reviewed} reviewed of ${report.decided} decided messages${autoSendThreshold !== undefined ? `; the auto-send threshold is ${Math.round(autoSendThreshold * 100)}%` : ""}.`}
            chart={
              <ResponsiveContainer width="100%" height={260}>
                <LineChart accessibilityLayer={false} data={chartPoints(report.thresholds)} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="threshold" />
                  <YAxis domain={[0, 100]} unit="%" width={48} />
                  <Tooltip formatter={(value) => `${String(value)}%`} />
                  <Legend />
                  <Line type="monotone" dataKey="precision" name="Precision" stroke="#1f5fbf" strokeWidth={2} connectNulls={false} isAnimationActive={false} />
                  <Line type="monotone" dataKey="autoSend" name="Auto-send share" stroke="#136329" strokeWidth={2} strokeDasharray="6 3" isAnimationActive={false} />
                </LineChart>
              </ResponsiveContainer>
            }
            table={
              <table className="data-table">
                <caption className="visually-hidden">Precision and auto-send share per threshold</caption>
                <thead><tr><th scope="col">Threshold</th><th scope="col">Precision</th><th scope="col">Auto-send share</th><th scope="col">Reviewed above</th></tr></thead>
                <tbody>
                  {report.thresholds.map((r) => (
                    <tr key={r.threshold}>
                      <th scope="row" data-label="Threshold">{Math.round(r.threshold * 100)}%</th>
                      <td data-label="Precision">{pct(r.precision)}</td>
                      <td data-label="Auto-send share">{pct(r.auto_send_share)}</td>
                      <td data-label="Reviewed above">{r.reviewed}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            } />
        )}
      </QueryState>
    </section>
  );
}
