import { useState } from "react";
import { formatDateTime } from "@/lib/format";
import { useRetryMessage } from "../api/retry-message";
import type { Message } from "../types";
import { SendProblem } from "./send-problem";

/**
 * "Send again" on a failed reply of ours. When the failed attempt may already have reached the customer
 * (`delivery_uncertain`), it first asks the person to confirm: a second copy is worse than a check with them.
 */
export function SendAgain({ message }: { message: Message }) {
  const retry = useRetryMessage(message.conversation_id);
  const [confirming, setConfirming] = useState(false);
  if (message.direction !== "outbound" || message.status !== "failed") return null;
  const send = (confirmUncertain: boolean) =>
    retry.mutate({ messageId: message.id, confirmUncertain }, { onSettled: () => setConfirming(false) });
  return (
    <div className="send-again">
      {confirming ? (
        <div role="group" aria-label="Confirm sending again">
          <p>
            <strong>This reply may already have reached the customer:</strong> the last attempt was interrupted after
            it was handed over. Check with them before sending a second copy.
          </p>
          <button type="button" className="button button-small" disabled={retry.isPending} onClick={() => send(true)}>
            Send it again anyway
          </button>{" "}
          <button type="button" className="button button-secondary button-small" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="button button-secondary button-small" disabled={retry.isPending}
          onClick={() => (message.delivery_uncertain ? setConfirming(true) : send(false))}>
          {retry.isPending ? "Sending again…" : "Send again"}
        </button>
      )}
      <SendProblem error={retry.error} />
    </div>
  );
}

/** When a failed reply was sent again (by a person, or by a replay of its send job). */
export function ResentNote({ message, byName }: { message: Message; byName?: string }) {
  if (!message.resent_at) return null;
  const by = message.resent_by_id ? byName ?? "a colleague" : "the system";
  return <span className="muted resent-note"> · Sent again {formatDateTime(message.resent_at)} by {by}</span>;
}
