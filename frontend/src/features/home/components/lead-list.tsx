import { Link } from "react-router";
import { EmptyState } from "@/components/ui/empty-state";
import { trendText } from "../home-logic";
import type { Lead } from "../types";

/** The hottest leads: chance to win within 90 days, how it moved, and the signals behind it. */
export function LeadList({ leads }: { leads: Lead[] }) {
  return (
    <section className="card home-section" aria-labelledby="home-leads">
      <h2 id="home-leads">Top leads</h2>
      {leads.length === 0 ? <EmptyState title="No scored leads yet." /> : (
        <ul className="home-list">
          {leads.map((lead) => (
            <li key={lead.contact.id} className="home-item">
              <div className="home-item-head">
                <Link to={`/contacts/${lead.contact.id}`}>{lead.contact.name}</Link>
                <span className="home-score" aria-label={`Score ${lead.score} out of 100`}>{lead.score}</span>
                {lead.trend !== 0 && (
                  <span className={lead.trend > 0 ? "home-trend-up" : "home-trend-down"}>
                    <span aria-hidden="true">{lead.trend > 0 ? "▲" : "▼"}</span>
                    <span className="visually-hidden">{trendText(lead.trend)}</span>
                    <span aria-hidden="true">{Math.abs(lead.trend)}</span>
                  </span>
                )}
              </div>
              {lead.reasons.length > 0 && (
                <ul className="home-reasons" aria-label={`Why ${lead.contact.name} scores ${lead.score}`}>
                  {lead.reasons.slice(0, 3).map((r) => <li key={r.feature}>{r.text}</li>)}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
