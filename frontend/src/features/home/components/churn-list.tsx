import { Link } from "react-router";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDate } from "@/lib/format";
import { severityText } from "../home-logic";
import { CHURN_LABELS, type ChurnAlert } from "../types";

/** Customers at risk of leaving, most severe first, each with what raised the alarm. */
export function ChurnList({ alerts }: { alerts: ChurnAlert[] }) {
  return (
    <section className="card home-section" aria-labelledby="home-churn">
      <h2 id="home-churn">Churn risks</h2>
      {alerts.length === 0 ? <EmptyState title="No customers at risk." /> : (
        <ul className="home-list">
          {alerts.map((alert) => {
            const severity = severityText(alert.severity);
            return (
              <li key={alert.id} className="home-item">
                <div className="home-item-head">
                  <Link to={`/contacts/${alert.contact.id}`}>{alert.contact.name}</Link>
                  <span className={`badge badge-severity-${severity.toLowerCase()}`}>{severity} risk</span>
                  <span className="muted">{CHURN_LABELS[alert.kind] ?? alert.kind} · since {formatDate(alert.raised_at)}</span>
                </div>
                {alert.reasons.length > 0 && <ul className="home-reasons">{alert.reasons.map((r) => <li key={r}>{r}</li>)}</ul>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
