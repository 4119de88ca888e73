import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

const KEY = ["dead-letters"] as const;

export interface DeadLetterFilter {
  status: "pending" | "replayed" | "all";
  task_name?: string;
  error_contains?: string;
}

export function useDeadLetters(filter: DeadLetterFilter) {
  return useInfiniteQuery({
    queryKey: [...KEY, "list", filter],
    queryFn: ({ pageParam }) => unwrap(api.GET("/api/v1/dead-letters", {
      params: { query: { ...filter, task_name: filter.task_name || undefined, error_contains: filter.error_contains || undefined, cursor: pageParam, limit: 50 } },
    })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

export function useDeadLetter(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...KEY, id],
    queryFn: () => unwrap(api.GET("/api/v1/dead-letters/{dead_letter_id}", { params: { path: { dead_letter_id: id } } })),
    enabled,
  });
}

export function useReplayDeadLetter() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/api/v1/dead-letters/{dead_letter_id}/replay", { params: { path: { dead_letter_id: id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDiscardDeadLetter() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/dead-letters/{dead_letter_id}", { params: { path: { dead_letter_id: id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

/** Replays every pending letter matching the filter (the server caps one call at 500). */
export function useReplayMatching() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (filter: DeadLetterFilter) => unwrap(api.POST("/api/v1/dead-letters/replay", {
      body: { task_name: filter.task_name || null, error_contains: filter.error_contains || null, limit: 500 },
    })),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
