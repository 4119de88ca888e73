import type { components } from "@/lib/api/schema";

export type Pipeline = components["schemas"]["PipelineRead"];
export type Board = components["schemas"]["BoardRead"];
export type BoardStage = components["schemas"]["BoardStageRead"];
export type Card = components["schemas"]["CardRead"];
export type Deal = components["schemas"]["DealRead"];
export type DealCreate = components["schemas"]["DealCreate"];
