import { useState, type ReactNode } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { ApiError } from "@/lib/problem";
import { useSendReply } from "../api/send-reply";

interface Props {
  conversationId: string;
  to: string;
  /** Why no reply can go out now (a chat's 24-hour window has closed): shown, and the composer is off. */
  closedReason?: ReactNode;
}

/** The reply goes out through the conversation's own channel; Ctrl/Cmd+Enter sends. */
export function ReplyComposer({ conversationId, to, closedReason }: Props) {
  const send = useSendReply(conversationId);
  const [text, setText] = useState("");
  const [sent, setSent] = useState(false);

  const submit = () => {
    if (!text.trim() || send.isPending || closedReason) return;
    setSent(false);
    send.mutate(text, {
      onSuccess: () => {
        setText("");
        setSent(true);
      },
    });
  };

  return (
    <form className="reply-composer" aria-label="Reply" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <label htmlFor={`reply-${conversationId}`}>Reply to {to}</label>
      {closedReason}
      <textarea id={`reply-${conversationId}`} value={text} rows={4} disabled={Boolean(closedReason)}
        onChange={(e) => { setText(e.target.value); setSent(false); }}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            submit();
          }
        }} />
      {send.error instanceof ApiError && send.error.status === 409 ? (
        // The channel cannot send (disabled, no outgoing server): say which, in the server's words.
        <div className="error-message" role="alert">
          <p><strong>{send.error.problem.title ?? "This conversation cannot be answered"}.</strong> {send.error.problem.detail}</p>
        </div>
      ) : send.error ? <ErrorMessage error={send.error} /> : null}
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
