import { useEffect, useState } from "react";
import { replyWindowClosed } from "./chat-logic";
import type { Conversation } from "./types";

/** Whether the reply window is closed, turning true by itself at the closing instant while the conversation stays open. */
export function useReplyWindowClosed(conversation: Pick<Conversation, "channel_kind" | "reply_window_closes_at">): boolean {
  const [, tick] = useState(0);
  const closed = replyWindowClosed(conversation);
  const closesAt = conversation.reply_window_closes_at;
  useEffect(() => {
    if (closed || !closesAt) return;
    // setTimeout's delay is a 32-bit int: the window is at most 24 hours away, well under its limit.
    const timer = setTimeout(() => tick((n) => n + 1), Math.max(0, Date.parse(closesAt) - Date.now()) + 50);
    return () => clearTimeout(timer);
  }, [closed, closesAt]);
  return closed;
}
