import { useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { NearLimitNote } from "@/components/ui/near-limit-note";
import { formatConfidence, formatDateTime } from "@/lib/format";
import { ApiError } from "@/lib/problem";
import { useApproveSuggestion, useRejectSuggestion } from "../api/review-suggestion";
import { asFacts, asFailedClaims, DECISION_LABELS, sendFailure, STATUS_LABELS, type Suggestion } from "../types";
import { AuditTrail } from "./audit-trail";
import { DraftText } from "./draft-text";
import { EditDiff } from "./edit-diff";
import { FactsList } from "./facts-list";

type Mode = "view" | "edit" | "review" | "reject";

/** One AI suggestion: its draft and grounds, and (while pending) approve, edit then send, or reject. */
export function SuggestionCard({ suggestion }: { suggestion: Suggestion }) {
  const s = suggestion;
  const [mode, setMode] = useState<Mode>("view");
  const [text, setText] = useState(s.draft_text ?? "");
  const [reason, setReason] = useState("");
  // What happened without a person deciding (sent on its own, refused, retired) is explained at once.
  const [showWhy, setShowWhy] = useState(["sent", "send_failed", "superseded"].includes(s.status));
  const approve = useApproveSuggestion(s.id);
  const reject = useRejectSuggestion(s.id);
  const facts = asFacts(s.facts);
  // Once rejected here the card stops offering decisions at once, before the list is read again.
  const pending = s.status === "pending" && !reject.isSuccess;
  const failure = sendFailure(s);
  const draft = s.draft_text ?? "";
  // A refused send names the claims the catalogue (as synced now) does not support.
  const refused = approve.error instanceof ApiError ? asFailedClaims((approve.error.problem as unknown as Record<string, unknown>).failed_claims) : [];
  const shown = mode === "view" ? (s.sent_text ?? draft) : text;

  return (
    <article className={`suggestion suggestion-${s.status}`} aria-label={`AI suggestion: ${STATUS_LABELS[s.status] ?? s.status}`}>
      <header className="suggestion-header">
        <h3>AI suggestion</h3>
        <span className={`badge badge-suggestion-${s.status}`}>{STATUS_LABELS[s.status] ?? s.status}</span>
      </header>
      <p className="suggestion-meta">
        <span>Intent: <strong>{s.intent.replace(/_/g, " ")}</strong></span>
        <span>Confidence: <strong>{formatConfidence(s.confidence)}</strong></span>
        <NearLimitNote nearLimit={s.confidence_parts.near_limit} />
        <span>Decision: <strong>{DECISION_LABELS[s.decision] ?? s.decision}</strong></span>
        {s.grounding.ok === false && <span className="claim-failed-note">Some claims are not supported by the catalogue</span>}
      </p>
      {s.status === "sent" && <p className="notice">Sent automatically on {formatDateTime(s.created_at)}: nobody had to approve it.</p>}
      {s.status === "rejected" && s.reject_reason && <p className="muted">Rejected: {s.reject_reason}</p>}
      {s.status === "superseded" && (
        <p className="notice">Not sent: the conversation was answered after this message, so the customer would have had two answers. The steps below say who answered.</p>
      )}
      {failure !== null && (
        <p className="notice notice-error">This reply was sent but never reached the customer ({failure}). A person answers now: it is in the escalation queue.</p>
      )}
      {(mode === "view" || mode === "reject") && (draft || s.sent_text) && (
        <DraftText text={shown} facts={facts} failed={[...asFailedClaims(s.grounding.failed_claims), ...refused]} />
      )}
      {!draft && !s.sent_text && <p className="muted">No draft: {s.reasons.join("; ") || "a person answers this one."}</p>}

      {mode === "edit" && (
        <div className="suggestion-edit">
          <label htmlFor={`edit-${s.id}`}>Edit the reply</label>
          <textarea id={`edit-${s.id}`} rows={8} value={text} onChange={(e) => setText(e.target.value)} />
          <div className="button-row">
            <button type="button" className="button button-primary" disabled={!text.trim()} onClick={() => { approve.reset(); setMode("review"); }}>Review changes</button>
            <button type="button" className="button button-ghost" onClick={() => { setText(draft); setMode("view"); }}>Cancel</button>
          </div>
        </div>
      )}
      {mode === "review" && (
        <section className="suggestion-review" aria-label="Review your changes">
          <h4>Your changes</h4>
          <EditDiff before={draft} after={text} />
          {refused.length > 0 && <DraftText text={text} facts={facts} failed={refused} />}
          <div className="button-row">
            <button type="button" className="button button-primary" disabled={approve.isPending} onClick={() => approve.mutate(text)}>
              {approve.isPending ? "Sending…" : "Send edited reply"}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setMode("edit")}>Keep editing</button>
          </div>
        </section>
      )}
      {pending && mode === "reject" && (
        <form className="suggestion-reject" aria-label="Reject the suggestion" onSubmit={(e) => { e.preventDefault(); if (reason.trim()) reject.mutate(reason.trim()); }}>
          <label htmlFor={`reject-${s.id}`}>Why is it wrong?</label>
          <textarea id={`reject-${s.id}`} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} required />
          <div className="button-row">
            <button type="submit" className="button button-danger" disabled={!reason.trim() || reject.isPending}>Reject suggestion</button>
            <button type="button" className="button button-ghost" onClick={() => setMode("view")}>Cancel</button>
          </div>
        </form>
      )}
      {pending && mode === "view" && (
        <div className="button-row">
          <button type="button" className="button button-primary" disabled={approve.isPending || !draft} onClick={() => approve.mutate(undefined)}>
            {approve.isPending ? "Sending…" : "Approve and send"}
          </button>
          <button type="button" className="button button-secondary" disabled={!draft} onClick={() => { setText(draft); setMode("edit"); }}>Edit</button>
          <button type="button" className="button button-secondary" onClick={() => setMode("reject")}>Reject</button>
        </div>
      )}
      {approve.error ? <ErrorMessage error={approve.error} /> : null}
      {refused.length > 0 && (
        <ul className="failed-claims" aria-label="Claims the catalogue does not support">
          {refused.map((c, i) => <li key={i}><strong>{c.claim}</strong>: {c.reason ?? c.kind}</li>)}
        </ul>
      )}
      {reject.error ? <ErrorMessage error={reject.error} /> : null}

      {facts.length > 0 && (
        <details className="suggestion-facts">
          <summary>Facts used ({facts.filter((f) => f.field !== "title").length || facts.length})</summary>
          <FactsList facts={facts} />
        </details>
      )}
      <button type="button" className="link-button" aria-expanded={showWhy} onClick={() => setShowWhy(!showWhy)}>
        {showWhy ? "Hide why" : "Why this decision?"}
      </button>
      {showWhy && (
        <div className="suggestion-why">
          {s.reasons.length > 0 && <p>Reasons: {s.reasons.join("; ")}</p>}
          <AuditTrail suggestionId={s.id} />
        </div>
      )}
    </article>
  );
}
