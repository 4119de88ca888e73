import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

/** The products to offer this contact, best first. */
export function useRecommendations(contactId: string, limit = 3) {
  return useQuery({
    queryKey: ["contacts", contactId, "recommendations", limit],
    queryFn: () => unwrap(api.GET("/api/v1/contacts/{contact_id}/recommendations", {
      params: { path: { contact_id: contactId }, query: { limit } },
    })),
    staleTime: 5 * 60_000,
  });
}
