import type { components } from "@/lib/api/schema";

export type LineItem = components["schemas"]["LineItemRead"];
export type LineItemList = components["schemas"]["LineItemList"];
export type LineItemCreate = components["schemas"]["LineItemCreate"];
export type LineItemUpdate = components["schemas"]["LineItemUpdate"];

/** What the line items need to know of their deal. */
export interface DealRef {
  id: string;
  currency: string;
  amount: string;
  amount_from_line_items: boolean;
}
