import type { Variant } from "./types";
import { plural } from "@/lib/format";

/** "size M, Blue", or the variant's own title when it has no options. */
export function variantLabel(v: Pick<Variant, "options" | "title">): string {
  const parts = Object.values(v.options ?? {}).filter((x) => x !== null && x !== "").map(String);
  if (parts.length) return parts.join(", ");
  return v.title && v.title.toLowerCase() !== "default title" ? v.title : "Standard";
}

export type StockLevel = "out" | "low" | "in" | "untracked";

export function stockLevel(stock: number | null | undefined): StockLevel {
  if (stock === null || stock === undefined) return "untracked";
  if (stock <= 0) return "out";
  return stock < 5 ? "low" : "in";
}

export const STOCK_WORDS: Record<StockLevel, string> = { out: "Out of stock", low: "Low stock", in: "In stock", untracked: "Not tracked" };

/** The lowest and highest price over a product's variants, as one line ("€18–€48"). */
export function priceRange(variants: Pick<Variant, "price" | "currency">[], format: (amount: string | null, currency: string) => string): string {
  if (variants.length === 0) return "";
  const sorted = [...variants].sort((a, b) => Number(a.price ?? 0) - Number(b.price ?? 0));
  const low = format(sorted[0].price, sorted[0].currency);
  const high = format(sorted[sorted.length - 1].price, sorted[sorted.length - 1].currency);
  return low === high ? low : `${low}–${high}`;
}

/** How stale a synced time is, in words: "just now", "12 min ago", "3 h ago", "5 days ago". */
export function ago(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "never";
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86400);
  return `${plural(days, "day")} ago`;
}

/** "Behind the shop by": in step unless a change is known to be missing (a delivery not applied, refused
 *  or dead-lettered; polls failing or overdue), then how long and why. A quiet shop is in step. */
export function behindShop(lagSeconds: number | null, because: string | null): string {
  if (!because || !lagSeconds) return "nothing: in step with the shop";
  const s = Math.round(lagSeconds);
  const span = s < 120 ? `${s} s` : s < 7200 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 3600)} h`;
  return `${span} · ${because}`;
}

/** What a live `product.updated` / `product.deleted` event asks this browser to refetch. */
export interface RefreshPlan {
  /** Every product on screen: the event named too many (or none we can read). */
  all: boolean;
  ids: string[];
}

export function refreshPlan(payload: Record<string, unknown>): RefreshPlan {
  const ids = Array.isArray(payload.product_ids) ? payload.product_ids.filter((id): id is string => typeof id === "string") : [];
  return { all: payload.truncated === true || ids.length === 0, ids };
}

/** Events arriving close together (a burst of shop changes) make one refetch, not one each. */
export const COALESCE_MS = 250;

export function mergePlans(held: RefreshPlan | null, next: RefreshPlan): RefreshPlan {
  if (!held) return next;
  return { all: held.all || next.all, ids: [...new Set([...held.ids, ...next.ids])] };
}

/** While the live stream is down, a slow poll keeps prices and stock roughly current. */
export const FALLBACK_POLL_MS = 30_000;

export function fallbackInterval(streamOpen: boolean): number | false {
  return streamOpen ? false : FALLBACK_POLL_MS;
}
