import "../chat.css";
import { formatDateTime } from "@/lib/format";
import { deliveryLabel } from "../inbox-logic";
import { DELIVERY_LABELS, type Message } from "../types";
import { Attachments } from "./message-item";
import { ResentNote, SendAgain } from "./send-again";

// WhatsApp and Messenger report delivery and reading too; email stops at "sent".
const CHAT_DELIVERY: Record<string, string> = { ...DELIVERY_LABELS, delivered: "Delivered", read: "Read" };

interface Props {
  message: Message;
  authorName?: string;
  /** Who sent a failed reply again, by name. */
  resentByName?: string;
}

/** A WhatsApp or Messenger message as a chat bubble: the customer's on the left, ours on the right. */
export function ChatBubble({ message, authorName, resentByName }: Props) {
  const inbound = message.direction === "inbound";
  const who = inbound ? message.sender_name || message.sender : authorName ?? "You";
  return (
    <article className={`chat-bubble chat-bubble-${inbound ? "inbound" : "outbound"}`} aria-label={`${inbound ? "From" : "Reply by"} ${who}`}>
      <p className="chat-bubble-sender">{who}</p>
      <div className="chat-bubble-text">{message.text || (message.attachments.length ? "" : "(no text)")}</div>
      {message.attachments.length > 0 && <Attachments message={message} />}
      <footer className="chat-bubble-meta">
        <time dateTime={message.occurred_at}>{formatDateTime(message.occurred_at)}</time>
        {!inbound && <span className={`delivery delivery-${message.status}`}> · {deliveryLabel(message, CHAT_DELIVERY)}</span>}
        {!inbound && message.status === "failed" && message.failure_reason && <span className="delivery-reason"> {message.failure_reason}</span>}
        {!inbound && <ResentNote message={message} byName={resentByName} />}
      </footer>
      <SendAgain message={message} />
    </article>
  );
}
