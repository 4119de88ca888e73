import "../chat.css";
import { formatDateTime } from "@/lib/format";
import { CHANNEL_NAMES } from "../chat-logic";

/** Why the composer is off: WhatsApp and Messenger take free-form replies only within 24 hours of the customer's last message. */
export function ReplyWindowNotice({ kind, lastInboundAt }: { kind: string; lastInboundAt: string | null }) {
  const channel = CHANNEL_NAMES[kind] ?? kind;
  return (
    <div className="notice reply-window-notice" role="note" aria-label="Reply window closed">
      <p>
        <strong>The 24-hour reply window is closed.</strong>{" "}
        {channel} accepts free-form replies only within 24 hours of the customer's last message
        {lastInboundAt ? ` (they last wrote ${formatDateTime(lastInboundAt)})` : " (they have not written here)"}.
        You can reply once they write again.
      </p>
    </div>
  );
}
