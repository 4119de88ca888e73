import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";
import { suggestionsKey } from "./list-suggestions";

export type EscalationRow = components["schemas"]["EscalationQueueRow"];

/** Conversations waiting for a person, one row each with what the row shows, soonest due first (under the
 * suggestions key: the live events that refresh suggestions refresh the queue). */
export function useEscalationQueue() {
  return useQuery({
    queryKey: [...suggestionsKey, "escalation-queue"],
    queryFn: () => unwrap(api.GET("/api/v1/escalations", { params: { query: { limit: 500 } } })),
  });
}
