import "../chat.css";
import { ErrorMessage } from "@/components/ui/error-message";
import { Spinner } from "@/components/ui/spinner";
import { useLeadScore } from "../api/get-lead-score";
import { topReasons, trendWords } from "../chat-logic";

/** The contact's lead score, its trend and the strongest reasons behind it. */
export function LeadScoreSummary({ contactId }: { contactId: string }) {
  const score = useLeadScore(contactId);
  return (
    <div className="contact-card-score">
      <h3>Lead score</h3>
      {score.isPending ? <Spinner label="Loading the lead score…" /> :
        score.error ? <ErrorMessage error={score.error} onRetry={() => score.refetch()} /> :
        score.data === null ? <p className="muted">Not scored yet.</p> : (
          <>
            <p>
              <strong className="lead-score-value">{score.data.score}</strong>
              <span className="muted"> / 100 chance to win a deal within 90 days{trendWords(score.data.trend)}</span>
            </p>
            <ul className="lead-score-reasons" aria-label="Why this score">
              {topReasons(score.data.reasons).map((r) => (
                <li key={r.feature}><span aria-hidden="true">{r.points >= 0 ? "▲" : "▼"}</span> {r.text}</li>
              ))}
            </ul>
          </>
        )}
    </div>
  );
}
