import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

export const templatesKey = (channelId: string) => ["channels", channelId, "templates"] as const;

/** The WhatsApp channel's approved templates (the server keeps Meta's list a few minutes). */
export const templatesQuery = (channelId: string) =>
  queryOptions({
    queryKey: templatesKey(channelId),
    queryFn: () => unwrap(api.GET("/api/v1/channels/{channel_id}/templates", { params: { path: { channel_id: channelId } } })),
    staleTime: 60_000,
    retry: false, // a missing WABA id or Meta's refusal will not mend itself in a second
  });

export function useTemplates(channelId: string) {
  return useQuery(templatesQuery(channelId));
}

/** Admins: read Meta's list now (a template approved a moment ago) instead of the server's few minutes' copy. */
export function useRefreshTemplates(channelId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/channels/{channel_id}/templates/refresh", { params: { path: { channel_id: channelId } } })),
    onSuccess: (list) => client.setQueryData(templatesKey(channelId), list),
  });
}
