import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

export const auditQuery = (suggestionId: string) =>
  queryOptions({
    queryKey: ["suggestions", suggestionId, "audit"],
    queryFn: () => unwrap(api.GET("/api/v1/suggestions/{suggestion_id}/audit", { params: { path: { suggestion_id: suggestionId } } })),
  });

/** The append-only audit trail of one suggestion, oldest step first; fetched only when asked for. */
export function useSuggestionAudit(suggestionId: string, enabled: boolean) {
  return useQuery({ ...auditQuery(suggestionId), enabled });
}
