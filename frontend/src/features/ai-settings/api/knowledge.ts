import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";

const KEY = ["ai", "knowledge"] as const;

export function useKnowledge() {
  return useQuery({ queryKey: KEY, queryFn: () => unwrap(api.GET("/api/v1/ai/knowledge")) });
}

export function useKnowledgeVersions(entryId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...KEY, entryId, "versions"],
    queryFn: () => unwrap(api.GET("/api/v1/ai/knowledge/{entry_id}/versions", { params: { path: { entry_id: entryId } } })),
    enabled,
  });
}

type Body = components["schemas"]["KnowledgeCreate"];

/** Creates an entry, or (with an id) saves a new version of it. */
export function useSaveKnowledge(entryId?: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Body) => entryId
      ? unwrap(api.PATCH("/api/v1/ai/knowledge/{entry_id}", { params: { path: { entry_id: entryId } }, body }))
      : unwrap(api.POST("/api/v1/ai/knowledge", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDeleteKnowledge() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (entryId: string) =>
      unwrap(api.DELETE("/api/v1/ai/knowledge/{entry_id}", { params: { path: { entry_id: entryId } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
