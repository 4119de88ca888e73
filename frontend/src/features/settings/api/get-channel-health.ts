import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

export const channelHealthQuery = (channelId: string) =>
  queryOptions({
    queryKey: ["channels", channelId, "health"],
    queryFn: () => unwrap(api.GET("/api/v1/channels/{channel_id}/health", { params: { path: { channel_id: channelId } } })),
    refetchInterval: 30_000,
  });

export function useChannelHealth(channelId: string) {
  return useQuery(channelHealthQuery(channelId));
}
