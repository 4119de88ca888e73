import { useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { NearLimitNote } from "@/components/ui/near-limit-note";
import { formatConfidence, formatDateTime } from "@/lib/format";
import { useDownloadAttachment } from "../api/download-attachment";
import { deliveryLabel, formatBytes, hasQuotedText, intentLabel } from "../inbox-logic";
import { type Message } from "../types";
import { IntentCorrection } from "./intent-correction";
import { ResentNote, SendAgain } from "./send-again";

interface Props {
  message: Message;
  authorName?: string;
  /** Who sent a failed reply again, by name. */
  resentByName?: string;
  /** Managers and admins may correct the classifier (the API refuses reps). */
  canCorrectIntent?: boolean;
}

export function MessageItem({ message, authorName, resentByName, canCorrectIntent = false }: Props) {
  const inbound = message.direction === "inbound";
  const [showQuoted, setShowQuoted] = useState(false);
  const quoted = hasQuotedText(message);
  const who = inbound ? message.sender_name || message.sender : authorName ?? message.sender;
  return (
    <article className={`message message-${inbound ? "inbound" : "outbound"}`} aria-label={`${inbound ? "From" : "Reply by"} ${who}`}>
      <header className="message-header">
        <span className="message-sender">
          <strong>{who}</strong>
          {inbound && message.sender_name && <span className="muted"> &lt;{message.sender}&gt;</span>}
        </span>
        <time dateTime={message.occurred_at}>{formatDateTime(message.occurred_at)}</time>
      </header>
      <div className="message-meta">
        {inbound && message.classification && <ClassificationBadges classification={message.classification} />}
        {inbound && canCorrectIntent && <IntentCorrection message={message} />}
        {message.is_junk && <span className="badge">Automated{message.junk_reason ? `: ${message.junk_reason}` : ""}</span>}
        {!inbound && <DeliveryStatus message={message} />}
        {!inbound && <ResentNote message={message} byName={resentByName} />}
      </div>
      <div className="message-body">{quoted && !showQuoted ? message.own_words : message.text}</div>
      {quoted && (
        <button type="button" className="link-button" aria-expanded={showQuoted} onClick={() => setShowQuoted((v) => !v)}>
          {showQuoted ? "Hide quoted text" : "Show quoted text"}
        </button>
      )}
      {message.attachments.length > 0 && <Attachments message={message} />}
      <SendAgain message={message} />
    </article>
  );
}

function ClassificationBadges({ classification }: { classification: NonNullable<Message["classification"]> }) {
  return (
    <span className="classification" aria-label="Classification">
      {classification.corrected_intent && classification.corrected_intent !== classification.intent ? (
        <span className="badge" title={`The AI said ${intentLabel(classification.intent)}`}>{intentLabel(classification.corrected_intent)} (corrected)</span>
      ) : (
        <span className="badge">{intentLabel(classification.intent)}</span>
      )}
      <span className="badge" title="How sure the classifier is">{formatConfidence(classification.confidence)} sure</span>
      <NearLimitNote nearLimit={classification.near_limit} />
      <span className={`badge badge-priority-${classification.priority}`}>{intentLabel(classification.priority)} priority</span>
    </span>
  );
}

function DeliveryStatus({ message }: { message: Message }) {
  const { status, failure_reason: reason } = message;
  return (
    <span className={`delivery delivery-${status}`}>
      <span className="badge">{deliveryLabel(message)}</span>
      {status === "failed" && reason && <span className="delivery-reason">{reason}</span>}
    </span>
  );
}

export function Attachments({ message }: { message: Message }) {
  const download = useDownloadAttachment(message.conversation_id);
  return (
    <>
      <ul className="attachments" aria-label="Attachments">
        {message.attachments.map((a) => (
          <li key={a.id}>
            <span className="attachment-name">{a.filename || "attachment"}</span>
            <span className="muted">{formatBytes(a.size)}</span>
            {a.stored ? (
              <button type="button" className="button button-secondary button-small" disabled={download.isPending}
                onClick={() => download.mutate(a)} aria-label={`Download ${a.filename || "attachment"}`}>
                Download
              </button>
            ) : (
              <span className="muted">Too large: not kept</span>
            )}
          </li>
        ))}
      </ul>
      {download.error && <ErrorMessage error={download.error} />}
    </>
  );
}
