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
