import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { subscribeEvents } from "@/lib/events";
import { boardKey } from "./get-board";

/** Someone else's deal change refreshes this board (and that deal) without a reload. */
export function useLiveBoard(pipelineId: string | undefined) {
  const client = useQueryClient();
  useEffect(() => {
    if (!pipelineId) return;
    return subscribeEvents((event) => {
      if (!event.topic.startsWith("deal.")) return;
      // A refetch while our own move is in flight would briefly undo it on screen.
      if (client.isMutating() > 0) return;
      client.invalidateQueries({ queryKey: boardKey(pipelineId) });
      const dealId = event.payload.deal_id ?? event.payload.id;
      if (typeof dealId === "string") client.invalidateQueries({ queryKey: ["deals", dealId] });
    });
  }, [client, pipelineId]);
}
