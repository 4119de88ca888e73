import type { components } from "@/lib/api/schema";

export type Today = components["schemas"]["TodayRead"];
export type Lead = components["schemas"]["LeadRead"];
export type ChurnAlert = components["schemas"]["ChurnAlertRead"];
export type Opportunity = components["schemas"]["OpportunityRead"];
export type TaskBrief = components["schemas"]["TaskBrief"];

export const CHURN_LABELS: Record<string, string> = {
  silence: "Gone quiet",
  negative: "Unhappy lately",
  open_issue: "Open issue",
};

export const OPPORTUNITY_LABELS: Record<string, string> = {
  intent_no_deal: "Asked to buy, no deal yet",
  back_in_stock: "Back in stock",
  repeat_purchase: "Due to buy again",
  upsell: "Upsell",
};
