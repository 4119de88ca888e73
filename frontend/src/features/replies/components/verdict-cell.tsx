import { useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { useIntents, useVerdict } from "../api/review";
import { intentLabel, verdictOf } from "../review";
import type { Suggestion } from "../types";

/** A manager's verdict on a reply the AI sent on its own: "Looks right", or "Mark as wrong" with an optional
 * reason and the right intent (learnt for the next retrain). Either can be changed later. */
export function VerdictCell({ suggestion: s }: { suggestion: Suggestion }) {
  const verdict = useVerdict(s.id);
  const intents = useIntents();
  const [wrongForm, setWrongForm] = useState(false);
  const [reason, setReason] = useState("");
  const [intent, setIntent] = useState("");
  const judged = verdictOf(s);
  return (
    <div className="verdict">
      {judged === "right" && <p>Looks right</p>}
      {judged === "wrong" && <p>Marked wrong: {s.reject_reason}</p>}
      {!wrongForm && (
        <span className="button-row">
          {judged !== "right" && (
            <button type="button" className="button button-secondary" disabled={verdict.isPending}
              onClick={() => verdict.mutate({ verdict: "right" })}>Looks right</button>
          )}
          {judged !== "wrong" && (
            <button type="button" className="button button-secondary" onClick={() => setWrongForm(true)}>Mark as wrong</button>
          )}
        </span>
      )}
      {wrongForm && (
        <form aria-label="Why it was wrong" onSubmit={(e) => {
          e.preventDefault();
          verdict.mutate({ verdict: "wrong", reason: reason.trim() || undefined, intent: intent || undefined },
            { onSuccess: () => setWrongForm(false) });
        }}>
          <label>What was wrong (optional) <input value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} /></label>
          <label>Right intent (optional)
            <select value={intent} onChange={(e) => setIntent(e.target.value)}>
              <option value="">Unchanged</option>
              {(intents.data ?? []).map((i) => <option key={i.name} value={i.name}>{intentLabel(i.name)}</option>)}
            </select>
          </label>
          <button type="submit" className="button" disabled={verdict.isPending}>Mark as wrong</button>
          <button type="button" className="button button-ghost" onClick={() => setWrongForm(false)}>Cancel</button>
        </form>
      )}
      {verdict.error ? <ErrorMessage error={verdict.error} /> : null}
    </div>
  );
}

