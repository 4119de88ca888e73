import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { subscribeEvents } from "@/lib/events";
import { conversationKey } from "./get-conversation";
import { messagesKey } from "./list-messages";

const TOPICS = new Set(["message.created", "message.classified", "message.updated", "conversation.updated"]);

/**
 * New mail, a classification, a delivery status or someone's triage refreshes what is on screen.
 * Events carry ids only; the refetch goes through the API, where visibility rules apply.
 */
export function useLiveInbox() {
  const client = useQueryClient();
  useEffect(
    () => subscribeEvents((event) => {
      if (!TOPICS.has(event.topic)) return;
      client.invalidateQueries({ queryKey: ["conversations", "list"] });
      const id = event.payload.conversation_id;
      if (typeof id !== "string") return;
      client.invalidateQueries({ queryKey: conversationKey(id), exact: true });
      if (event.topic.startsWith("message.")) client.invalidateQueries({ queryKey: messagesKey(id) });
    }),
    [client],
  );
}
