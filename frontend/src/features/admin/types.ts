import type { components } from "@/lib/api/schema";

export type DeadLetter = components["schemas"]["DeadLetterSummary"];
export type DeadLetterDetail = components["schemas"]["DeadLetterRead"];
export type SystemStatus = components["schemas"]["SystemStatus"];
export type User = components["schemas"]["UserRead"];
export type Role = components["schemas"]["Role"];

export const ROLE_LABELS: Record<Role, string> = { admin: "Admin", manager: "Manager", rep: "Sales rep" };
