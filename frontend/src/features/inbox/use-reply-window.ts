import { useEffect, useState } from "react";
import { composerMode, type ComposerMode } from "./chat-logic";
import type { Conversation } from "./types";

type WindowFields = Pick<Conversation, "channel_kind" | "reply_window_closes_at" | "last_inbound_at" | "reply_options">;

/** What the composer offers now, moving on by itself at each edge (24 hours, Messenger's 7 days) while the page stays open. */
export function useComposerMode(conversation: WindowFields): ComposerMode {
  const [, tick] = useState(0);
  const mode = composerMode(conversation);
  const changesAt = mode.changesAt;
  useEffect(() => {
    if (!changesAt) return;
    // setTimeout's delay is a 32-bit int (about 24.8 days): the next edge is at most 7 days away.
    const timer = setTimeout(() => tick((n) => n + 1), Math.max(0, Date.parse(changesAt) - Date.now()) + 50);
    return () => clearTimeout(timer);
  }, [changesAt]);
  return mode;
}
