import { useState, type ReactNode } from "react";
import { useSendReply } from "../api/send-reply";
import { SendProblem } from "./send-problem";

interface Props {
  conversationId: string;
  to: string;
  /** Why no reply can go out now (a chat's window has closed): shown, and the composer is off. */
  closedReason?: ReactNode;
  /** Something to know before writing (Messenger: the reply goes as a human agent's): shown, the composer stays on. */
  note?: ReactNode;
}

/** The reply goes out through the conversation's own channel; Ctrl/Cmd+Enter sends. */
export function ReplyComposer({ conversationId, to, closedReason, note }: Props) {
  const send = useSendReply(conversationId);
  const [text, setText] = useState("");
  const [sent, setSent] = useState(false);

  const submit = () => {
    if (!text.trim() || send.isPending || closedReason) return;
    setSent(false);
    send.mutate({ text }, {
      onSuccess: () => {
        setText("");
        setSent(true);
      },
    });
  };

  return (
    <form className="reply-composer" aria-label="Reply" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <label htmlFor={`reply-${conversationId}`}>Reply to {to}</label>
      {closedReason ?? note}
      <textarea id={`reply-${conversationId}`} value={text} rows={4} disabled={Boolean(closedReason)}
        onChange={(e) => { setText(e.target.value); setSent(false); }}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            submit();
          }
        }} />
      <SendProblem error={send.error} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={!text.trim() || send.isPending || Boolean(closedReason)}>
          {send.isPending ? "Sending…" : "Send reply"}
        </button>
        <span className="muted">Ctrl+Enter sends</span>
        <span role="status" className="live-line">{sent ? "Reply queued: its status shows in the thread." : ""}</span>
      </div>
    </form>
  );
}
