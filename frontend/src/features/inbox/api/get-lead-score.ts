import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { ApiError } from "@/lib/problem";

/** One contact's lead score; null when the contact has not been scored (the API answers 404). */
export function useLeadScore(contactId: string) {
  return useQuery({
    queryKey: ["insights", "lead", contactId],
    queryFn: async () => {
      try {
        return await unwrap(api.GET("/api/v1/insights/leads/{contact_id}", { params: { path: { contact_id: contactId } } }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    // Scores move nightly and when the customer writes: a few minutes of staleness is fine.
    staleTime: 5 * 60_000,
  });
}
