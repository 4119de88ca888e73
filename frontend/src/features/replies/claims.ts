/**
 * Which parts of a draft state catalogue facts: the same kinds of claim the backend's grounding
 * check reads (money, stock counts, SKUs, product names), matched against the facts the draft was
 * written from. Failed claims (from grounding) win over grounded ones where both match.
 */
import type { FailedClaim, Fact } from "./types";

export interface Segment {
  text: string;
  kind: "plain" | "grounded" | "failed";
  /** Why it is marked: the fact it matches, or the reason it failed. */
  note?: string;
}

const CURRENCIES: Record<string, string> = { "€": "EUR", $: "USD", "£": "GBP", euro: "EUR", euros: "EUR", dollar: "USD", dollars: "USD", pound: "GBP", pounds: "GBP" };
const CUR = String.raw`€|\$|£|\b[A-Z]{3}\b|\beuros?\b|\bdollars?\b|\bpounds?\b`;
const AMOUNT = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?`;
const MONEY = new RegExp(String.raw`(${CUR})\s?(${AMOUNT})|(${AMOUNT})\s?(${CUR})`, "gi");
const STOCK = /\b(\d+)\s+(?:\w+\s+){0,2}?(?:in stock|available|left|units?|pieces?|pcs|items?)\b/gi;
const SKU_LIKE = /\b[A-Z0-9]+(?:-[A-Z0-9]+)+\b/g;

function amount(text: string): number | null {
  const t = /^\d+,\d{2}$/.test(text) ? text.replace(",", ".") : text.replace(/,/g, "");
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function currency(token: string): string {
  return CURRENCIES[token.toLowerCase()] ?? CURRENCIES[token] ?? token.toUpperCase();
}

interface Span { start: number; end: number; kind: "grounded" | "failed"; note: string }

function factNote(fact: Fact, title: string | undefined): string {
  const what = [title, fact.sku ? `SKU ${fact.sku}` : null].filter(Boolean).join(", ");
  const when = fact.source_updated_at ? `, synced ${new Date(fact.source_updated_at).toLocaleString("en-GB")}` : "";
  return `Matches the catalogue: ${fact.field} of ${what || "a product"} is ${String(fact.value)}${when}`;
}

function groundedSpans(draft: string, facts: Fact[]): Span[] {
  const spans: Span[] = [];
  const titles = new Map(facts.filter((f) => f.field === "title" && f.product_id).map((f) => [f.product_id, String(f.value)]));
  const prices = facts.filter((f) => f.field === "price" && typeof f.value === "string").map((f) => {
    const [value, cur] = String(f.value).split(" ");
    return { fact: f, value: Number(value), currency: cur };
  });
  for (const m of draft.matchAll(MONEY)) {
    const value = amount(m[2] ?? m[3]);
    const cur = currency(m[1] ?? m[4]);
    const hit = prices.find((p) => p.value === value && p.currency === cur);
    if (hit) spans.push({ start: m.index, end: m.index + m[0].length, kind: "grounded", note: factNote(hit.fact, titles.get(hit.fact.product_id)) });
  }
  for (const m of draft.matchAll(STOCK)) {
    const hit = facts.find((f) => f.field === "stock" && f.value === Number(m[1]));
    if (hit) spans.push({ start: m.index, end: m.index + m[0].length, kind: "grounded", note: factNote(hit, titles.get(hit.product_id)) });
  }
  for (const m of draft.matchAll(SKU_LIKE)) {
    const hit = facts.find((f) => f.sku === m[0]);
    if (hit) spans.push({ start: m.index, end: m.index + m[0].length, kind: "grounded", note: `Matches the catalogue: SKU of ${titles.get(hit.product_id) ?? "a product"}` });
  }
  for (const f of facts.filter((x) => x.field === "title")) {
    const title = String(f.value);
    for (let at = draft.indexOf(title); title && at >= 0; at = draft.indexOf(title, at + title.length)) {
      spans.push({ start: at, end: at + title.length, kind: "grounded", note: factNote(f, undefined) });
    }
  }
  return spans;
}

function failedSpans(draft: string, failed: FailedClaim[]): Span[] {
  const spans: Span[] = [];
  for (const claim of failed) {
    if (!claim.claim) continue;
    for (let at = draft.indexOf(claim.claim); at >= 0; at = draft.indexOf(claim.claim, at + claim.claim.length)) {
      spans.push({ start: at, end: at + claim.claim.length, kind: "failed", note: `Not supported by the catalogue: ${claim.reason ?? claim.kind ?? "no matching fact"}` });
    }
  }
  return spans;
}

/** The draft cut into plain, grounded and failed pieces, in order, without overlaps. */
export function markClaims(draft: string, facts: Fact[], failed: FailedClaim[]): Segment[] {
  // Failed first, then longer spans first, so a claim's whole phrase wins over a piece of it.
  const candidates = [...failedSpans(draft, failed), ...groundedSpans(draft, facts).sort((a, b) => (b.end - b.start) - (a.end - a.start))];
  const chosen: Span[] = [];
  for (const span of candidates) {
    if (!chosen.some((c) => span.start < c.end && c.start < span.end)) chosen.push(span);
  }
  chosen.sort((a, b) => a.start - b.start);
  const segments: Segment[] = [];
  let at = 0;
  for (const span of chosen) {
    if (span.start > at) segments.push({ text: draft.slice(at, span.start), kind: "plain" });
    segments.push({ text: draft.slice(span.start, span.end), kind: span.kind, note: span.note });
    at = span.end;
  }
  if (at < draft.length) segments.push({ text: draft.slice(at), kind: "plain" });
  return segments;
}

/** How long ago, in words a rep reads at a glance ("3 min", "2 h 5 min", "4 days"). */
export function elapsed(fromIso: string, now: number = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - new Date(fromIso).getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? "" : "s"}`;
}
