import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { findCard, moveCard, type Target } from "../board-moves";
import type { Board } from "../types";
import { boardKey } from "./get-board";
import { dealKey } from "./get-deal";

interface MoveInput {
  dealId: string;
  target: Target;
}

/**
 * Moves a card on screen at once; the server's answer confirms it and a refusal puts the card
 * back (the caller says why). The card's version goes in If-Match, so a deal someone else has
 * changed meanwhile is refused rather than silently overwritten.
 */
export function useMoveDeal(pipelineId: string) {
  const client = useQueryClient();
  const key = boardKey(pipelineId);

  return useMutation({
    onMutate: async ({ dealId, target }: MoveInput) => {
      await client.cancelQueries({ queryKey: key });
      const before = client.getQueryData<Board>(key);
      if (before) client.setQueryData<Board>(key, moveCard(before, dealId, target));
      return { before };
    },
    mutationFn: ({ dealId, target }: MoveInput) => {
      const board = client.getQueryData<Board>(key);
      const version = board ? findCard(board, dealId)?.card.version : undefined;
      return unwrap(api.POST("/api/v1/deals/{deal_id}/move", {
        params: { path: { deal_id: dealId } },
        headers: version ? { "If-Match": `"${version}"` } : {},
        body: { stage_id: target.stageId, position: target.index ?? undefined },
      }));
    },
    onError: (_error, _input, context) => {
      if (context?.before) client.setQueryData(key, context.before);
    },
    onSettled: (_data, _error, { dealId }) => {
      client.invalidateQueries({ queryKey: key });
      client.invalidateQueries({ queryKey: dealKey(dealId) });
    },
  });
}
