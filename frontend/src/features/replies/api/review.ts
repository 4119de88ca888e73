import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { authFetch, origin } from "@/lib/auth/session";
import { problemFromResponse } from "@/lib/problem";
import type { Suggestion } from "../types";

type Decision = "auto_send" | "approval" | "escalate";
type Status = "sent" | "approved" | "edited" | "rejected" | "superseded" | "send_failed" | "escalated";

/** The review screen's filters; `since`/`until` are ISO instants (until excluded). */
export interface ReviewFilters {
  decision?: Decision;
  status?: Status;
  intent?: string;
  since?: string;
  until?: string;
}

/** What a manager reviews: decided messages, not the ignored spam or the ones still waiting. */
const DECIDED: Decision[] = ["auto_send", "approval", "escalate"];

/** Decided suggestions, newest first, a page at a time (the server applies the viewer's visibility). */
export function useReviewList(filters: ReviewFilters) {
  return useInfiniteQuery({
    queryKey: ["suggestions", "review", filters],
    queryFn: ({ pageParam }) => unwrap(api.GET("/api/v1/suggestions", { params: { query: {
      decision: filters.decision ? [filters.decision] : DECIDED,
      status: filters.status ? [filters.status] : undefined,
      intent: filters.intent, since: filters.since, until: filters.until, cursor: pageParam, limit: 50,
    } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

/** The intent taxonomy, for the filter and the correction (the inbox reads it under the same key). */
export function useIntents() {
  return useQuery({ queryKey: ["ai", "intents"], queryFn: () => unwrap(api.GET("/api/v1/ai/intents")), staleTime: 60 * 60_000 });
}

export interface VerdictInput {
  verdict: "right" | "wrong";
  reason?: string;
  intent?: string;
}

/** "Looks right" / "Mark as wrong" on a reply sent automatically; the calibration counts it. */
export function useVerdict(suggestionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: VerdictInput) => unwrap(api.POST("/api/v1/suggestions/{suggestion_id}/verdict", {
      params: { path: { suggestion_id: suggestionId } }, body: input,
    })),
    onSuccess: (_: Suggestion) => {
      client.invalidateQueries({ queryKey: ["suggestions"] });
      client.invalidateQueries({ queryKey: ["ai", "calibration"] });
    },
  });
}

/** A plain link cannot carry the bearer token, so the audit CSV is fetched with it and handed to the browser. */
async function downloadAudit({ since, until }: { since: string; until: string }): Promise<void> {
  const params = new URLSearchParams({ since, until });
  const response = await authFetch(new Request(`${origin()}/api/v1/suggestions/audit.csv?${params}`));
  if (!response.ok) throw await problemFromResponse(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = "ai-audit.csv";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function useDownloadAudit() {
  return useMutation({ mutationFn: downloadAudit });
}
