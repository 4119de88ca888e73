import type { components } from "@/lib/api/schema";

export type Hit = components["schemas"]["SearchItem"];

export const TYPE_LABELS: Record<string, string> = { product: "Product", contact: "Contact", company: "Company", deal: "Deal", message: "Message" };

/** Where a hit opens. */
export function hitPath(hit: Pick<Hit, "type" | "id" | "title"> & { parent_id?: string | null }): string {
  switch (hit.type) {
    case "contact": return `/contacts/${hit.id}`;
    case "company": return `/companies/${hit.id}`;
    case "deal": return `/deals/${hit.id}`;
    case "message": return `/inbox/${hit.parent_id ?? ""}`; // a message opens in its conversation
    default: return `/catalog?q=${encodeURIComponent(hit.title)}`;
  }
}

/** Arrow keys wrap around the list; Home and End jump to its ends. */
export function moveActive(key: string, active: number, count: number): number {
  if (count === 0) return -1;
  if (key === "ArrowDown") return (active + 1) % count;
  if (key === "ArrowUp") return active <= 0 ? count - 1 : active - 1;
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return active;
}

/** Ctrl-K, or Cmd-K on a Mac. */
export function isPaletteShortcut(e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey">): boolean {
  return e.key.toLowerCase() === "k" && (e.ctrlKey || e.metaKey) && !e.altKey;
}

export interface Pointer { x: number; y: number }

/** A real move of the mouse, not the first event seen at a pointer's resting place. */
export function pointerMoved(before: Pointer | null, now: Pointer): boolean {
  return before !== null && (before.x !== now.x || before.y !== now.y);
}

function nameTier(title: string, query: string): number {
  const t = title.trim().toLocaleLowerCase();
  const q = query.trim().toLocaleLowerCase();
  if (!q) return 2;
  if (t === q) return 0;
  const words = t.split(/\s+/);
  const parts = q.split(/\s+/);
  // "laura beck" -> "Laura Becker": each typed word starts a word of the name, in order or not.
  if (t.startsWith(q) || parts.every((p) => words.some((w) => w.startsWith(p)))) return 1;
  return 2;
}

/** Exact, then prefix name matches above the rest; the API's order (by meaning) within each group. */
export function rankHits<H extends Pick<Hit, "title">>(hits: H[], query: string): H[] {
  return hits.map((hit, i) => ({ hit, i, tier: nameTier(hit.title, query) }))
    .sort((a, b) => a.tier - b.tier || a.i - b.i)
    .map((x) => x.hit);
}
