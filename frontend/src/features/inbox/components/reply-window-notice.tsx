import "../chat.css";
import { formatDateTime } from "@/lib/format";
import { CHANNEL_NAMES, wroteAgo, type ComposerMode } from "../chat-logic";

interface Props {
  kind: string;
  lastInboundAt: string | null;
  /** The composer's state past the 24-hour window. */
  mode: Exclude<ComposerMode, { kind: "free" }>;
}

/** What Meta allows now that the 24-hour window has passed, in plain words. */
export function ReplyWindowNotice({ kind, lastInboundAt, mode }: Props) {
  const channel = CHANNEL_NAMES[kind] ?? kind;
  const waiting = lastInboundAt ? `The customer last wrote ${wroteAgo(lastInboundAt)}` : "The customer has not written here";
  if (mode.kind === "human-agent") {
    return (
      <div className="notice reply-window-note" role="note" aria-label="Sent as a human agent's reply">
        <p>
          <strong>{waiting}:</strong> past Messenger's 24 hours, so your reply goes as a human agent's message
          (Messenger's HUMAN_AGENT tag, for a person answering, never for automatic replies), allowed
          until {formatDateTime(mode.until)}.
        </p>
      </div>
    );
  }
  return (
    <div className="notice reply-window-notice" role="note" aria-label="Reply window closed">
      <p>
        <strong>{waiting}:</strong>{" "}
        {mode.kind === "template"
          ? `${channel} only allows an approved template now. Choose one below; when the customer answers, you can write freely again.`
          : `${channel} allows a person's reply only within 7 days of the customer's last message. You can reply once they write again.`}
        {lastInboundAt ? ` (${formatDateTime(lastInboundAt)})` : ""}
      </p>
    </div>
  );
}
