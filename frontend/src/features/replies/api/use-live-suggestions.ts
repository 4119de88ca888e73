import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { subscribeEvents } from "@/lib/events";

// A new draft or escalation, or a message that may have been answered automatically.
const TOPICS = new Set(["reply.suggested", "reply.escalated", "message.created", "message.classified", "conversation.updated"]);

/** Keeps suggestions and escalations on screen current; events carry ids, the refetch applies visibility. */
export function useLiveSuggestions() {
  const client = useQueryClient();
  useEffect(
    () => subscribeEvents((event) => {
      if (TOPICS.has(event.topic)) client.invalidateQueries({ queryKey: ["suggestions"] });
    }),
    [client],
  );
}
