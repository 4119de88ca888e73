import type { components } from "@/lib/api/schema";

export type Team = components["schemas"]["TeamRead"];
export type TeamCreate = components["schemas"]["TeamCreate"];
export type TeamUpdate = components["schemas"]["TeamUpdate"];
export type WorkingHours = components["schemas"]["WorkingHours"];

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday", sun: "Sunday",
};

/** The API's taxonomy plus the classifier's own "not for us" label, which a team may also own. */
export const OUT_OF_SCOPE = "out_of_scope";
