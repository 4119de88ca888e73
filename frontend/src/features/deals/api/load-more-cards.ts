import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { Board } from "../types";
import { boardKey } from "./get-board";

/** The next cursor page of one stage's cards, appended to that column of the cached board. */
export function useLoadMoreCards(pipelineId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ stageId, cursor }: { stageId: string; cursor: string }) =>
      unwrap(api.GET("/api/v1/pipelines/{pipeline_id}/board/stages/{stage_id}", {
        params: { path: { pipeline_id: pipelineId, stage_id: stageId }, query: { cursor, limit: 50 } },
      })),
    onSuccess: (page) =>
      client.setQueryData<Board>(boardKey(pipelineId), (board) =>
        board && {
          ...board,
          stages: board.stages.map((s) => {
            if (s.id !== page.id) return s;
            const seen = new Set(s.cards.map((c) => c.id));
            return { ...s, cards: [...s.cards, ...page.cards.filter((c) => !seen.has(c.id))], next_cursor: page.next_cursor };
          }),
        }),
  });
}
