import { NEAR_LIMIT_NOTE } from "@/components/ui/near-limit-note";
import { QueryState } from "@/components/ui/query-state";
import { formatConfidence, formatDateTime } from "@/lib/format";
import { useSuggestionAudit } from "../api/get-audit";
import { ACTION_LABELS, DECISION_LABELS, type AuditStep } from "../types";

function detail(step: AuditStep): string[] {
  const d = step.data as Record<string, unknown>;
  const lines: string[] = [];
  if (typeof d.confidence === "number") lines.push(`Confidence ${formatConfidence(d.confidence)}`);
  // The parts as recorded when the step was taken (steps recorded before `near_limit` lack it).
  const parts = d.confidence_parts as Record<string, unknown> | null | undefined;
  if (parts?.near_limit === true) lines.push(NEAR_LIMIT_NOTE);
  if (typeof d.decision === "string") lines.push(`Decision: ${DECISION_LABELS[d.decision] ?? d.decision}`);
  if (Array.isArray(d.reasons) && d.reasons.length) lines.push(`Because: ${d.reasons.join("; ")}`);
  if (typeof d.mode === "string" && d.mode !== "live") lines.push(`Mode: ${d.mode}`);
  if (typeof d.model_version === "string") lines.push(`Model ${d.model_version}${typeof d.prompt_version === "string" ? `, prompt ${d.prompt_version}` : ""}`);
  if (typeof d.due_at === "string") lines.push(`Task due ${formatDateTime(d.due_at)}`);
  if (typeof d.reason === "string") lines.push(`Reason: ${d.reason}`);
  if (typeof d.resent_by === "string") lines.push(`Sent again by ${d.resent_by}${d.escalation_resolved ? "; escalation resolved" : ""}`);
  if (typeof d.answered_by === "string" && typeof d.answered_at === "string") {
    lines.push(`Answered by ${d.answered_by} on ${formatDateTime(d.answered_at)}: this draft was not sent`);
  }
  if (typeof d.diff === "string" && d.diff) lines.push(`Changes:\n${d.diff}`);
  return lines;
}

/** "Why this decision": every recorded step, who took it and on what grounds. */
export function AuditTrail({ suggestionId }: { suggestionId: string }) {
  const audit = useSuggestionAudit(suggestionId, true);
  return (
    <QueryState query={audit} loadingLabel="Loading the audit trail…">
      {(steps) => steps.length === 0 ? <p className="muted">Nothing recorded yet.</p> : (
        <ol className="audit-trail">
          {steps.map((step) => (
            <li key={step.id}>
              <strong>{ACTION_LABELS[step.action] ?? step.action}</strong>{" "}
              <span className="muted">{step.actor_email ?? "by the AI reply step"} · <time dateTime={step.occurred_at}>{formatDateTime(step.occurred_at)}</time></span>
              {detail(step).map((line, i) => <p key={i} className="audit-line">{line}</p>)}
            </li>
          ))}
        </ol>
      )}
    </QueryState>
  );
}
