import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { LineItemCreate, LineItemUpdate } from "../types";

export const lineItemsKey = (dealId: string) => ["deals", dealId, "line-items"] as const;

export function useLineItems(dealId: string) {
  return useQuery({
    queryKey: lineItemsKey(dealId),
    queryFn: () => unwrap(api.GET("/api/v1/deals/{deal_id}/line-items", { params: { path: { deal_id: dealId } } })),
  });
}

// A change may set the deal's amount (when its total drives it): reload the deal and the board too.
function refresh(client: QueryClient, dealId: string) {
  void client.invalidateQueries({ queryKey: ["deals", dealId] });
  void client.invalidateQueries({ queryKey: ["pipelines"] });
}

export function useAddLineItem(dealId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: LineItemCreate) =>
      unwrap(api.POST("/api/v1/deals/{deal_id}/line-items", { params: { path: { deal_id: dealId } }, body })),
    onSuccess: () => refresh(client, dealId),
  });
}

export function useUpdateLineItem(dealId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ itemId, body }: { itemId: string; body: LineItemUpdate }) =>
      unwrap(api.PATCH("/api/v1/deals/{deal_id}/line-items/{item_id}", { params: { path: { deal_id: dealId, item_id: itemId } }, body })),
    onSettled: () => refresh(client, dealId),
  });
}

export function useDeleteLineItem(dealId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (itemId: string) =>
      unwrap(api.DELETE("/api/v1/deals/{deal_id}/line-items/{item_id}", { params: { path: { deal_id: dealId, item_id: itemId } } })),
    onSuccess: () => refresh(client, dealId),
  });
}
