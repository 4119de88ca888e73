import type { components } from "@/lib/api/schema";

type S = components["schemas"];
export type PipelineData = S["PipelineAnalyticsRead"];
export type DealsData = S["DealsRead"];
export type RevenueData = S["ProductRevenueRead"];
export type MessagesData = S["MessagesRead"];
export type ResponseTimesData = S["ResponseTimesRead"];
export type AutomationData = S["AutomationRead"];
export type ActivityData = S["ActivityAnalyticsRead"];

/** Query parameters every analytics endpoint takes. */
export interface AnalyticsFilter {
  from: string;
  to: string;
  owner_id?: string;
  team_id?: string;
}
