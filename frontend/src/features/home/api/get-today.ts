import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api, unwrap } from "@/lib/api/client";
import { subscribeEvents } from "@/lib/events";

export const todayKey = ["insights", "today"] as const;

export const todayQuery = () =>
  queryOptions({
    queryKey: todayKey,
    queryFn: () => unwrap(api.GET("/api/v1/insights/today")),
  });

// Insights publish no events of their own; these are the ones that change what Today shows
// (a new escalation, a deal made or closed elsewhere, a conversation handled).
const REFRESHING = new Set(["reply.escalated", "deal.created", "deal.won", "deal.lost", "deal.deleted", "conversation.updated"]);

export function useToday() {
  const client = useQueryClient();
  useEffect(() => subscribeEvents((event) => {
    if (REFRESHING.has(event.topic)) void client.invalidateQueries({ queryKey: todayKey });
  }), [client]);
  return useQuery({ ...todayQuery(), refetchInterval: 5 * 60_000 });
}
