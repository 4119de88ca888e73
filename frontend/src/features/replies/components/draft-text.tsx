import { markClaims } from "../claims";
import type { FailedClaim, Fact } from "../types";

/** The draft with every grounded claim highlighted and every failing one marked, in words too. */
export function DraftText({ text, facts, failed }: { text: string; facts: Fact[]; failed: FailedClaim[] }) {
  return (
    <p className="draft-text">
      {markClaims(text, facts, failed).map((segment, i) =>
        segment.kind === "plain" ? (
          <span key={i}>{segment.text}</span>
        ) : (
          <mark key={i} className={`claim claim-${segment.kind}`} title={segment.note}>
            {segment.text}
            <span className="visually-hidden"> ({segment.kind === "failed" ? "not supported" : "matches the catalogue"})</span>
          </mark>
        ),
      )}
    </p>
  );
}
