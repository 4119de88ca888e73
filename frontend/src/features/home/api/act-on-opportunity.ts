import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { Opportunity, Today } from "../types";
import { todayKey } from "./get-today";

const dropFromToday = (opportunityId: string) => (today: Today | undefined) =>
  today && { ...today, opportunities: today.opportunities.filter((o) => o.id !== opportunityId) };

/** One click: the API makes the deal and answers with its id; the opportunity leaves the list. */
export function useCreateDealFromOpportunity() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (opportunity: Opportunity) =>
      unwrap(api.POST("/api/v1/insights/opportunities/{opportunity_id}/create-deal", { params: { path: { opportunity_id: opportunity.id } } })),
    onSuccess: (converted) => {
      client.setQueryData<Today>(todayKey, dropFromToday(converted.id));
      void client.invalidateQueries({ queryKey: ["deals"] });
      void client.invalidateQueries({ queryKey: ["pipelines"] });
    },
  });
}

/** Never shown again, and never raised again for the same thing. */
export function useDismissOpportunity() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (opportunity: Opportunity) =>
      unwrap(api.POST("/api/v1/insights/opportunities/{opportunity_id}/dismiss", { params: { path: { opportunity_id: opportunity.id } } })),
    onSuccess: (dismissed) => client.setQueryData<Today>(todayKey, dropFromToday(dismissed.id)),
  });
}
