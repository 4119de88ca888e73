import { describe, expect, it } from "vitest";
import { elapsed, markClaims } from "./claims";
import { isOverdue } from "./escalations";
import type { Fact } from "./types";

const facts: Fact[] = [
  { product_id: "p-1", sku: null, field: "title", value: "Merino Hiking Socks", source_updated_at: "2026-12-05T09:00:00Z" },
  { product_id: "p-1", sku: "SOCK-MER-M", field: "price", value: "18.00 EUR", source_updated_at: "2026-12-05T09:00:00Z" },
  { product_id: "p-1", sku: "SOCK-MER-M", field: "stock", value: 65, source_updated_at: "2026-12-05T09:00:00Z" },
];

const marked = (draft: string, failed = []) => markClaims(draft, facts, failed).filter((s) => s.kind !== "plain").map((s) => [s.kind, s.text]);

describe("markClaims", () => {
  it("highlights the name, SKU, price and stock the catalogue supports", () => {
    expect(marked("The Merino Hiking Socks (SKU SOCK-MER-M) cost 18.00 EUR. We have 65 in stock.")).toEqual([
      ["grounded", "Merino Hiking Socks"], ["grounded", "SOCK-MER-M"], ["grounded", "18.00 EUR"], ["grounded", "65 in stock"],
    ]);
  });

  it("reads prices the way grounding does: symbol before, decimal comma, no cents", () => {
    expect(marked("Only €18 today, or 18,00 EUR.")).toEqual([["grounded", "€18"], ["grounded", "18,00 EUR"]]);
  });

  it("leaves a price or count the facts do not hold unmarked, and marks the failing claims", () => {
    const segments = markClaims("They cost 15.00 EUR and we have 3 left.", facts, [{ claim: "15.00 EUR", kind: "price", reason: "no product costs 15.00 EUR" }]);
    expect(segments.filter((s) => s.kind !== "plain").map((s) => [s.kind, s.text])).toEqual([["failed", "15.00 EUR"]]);
    expect(segments.find((s) => s.kind === "failed")?.note).toContain("no product costs 15.00 EUR");
    expect(segments.map((s) => s.text).join("")).toBe("They cost 15.00 EUR and we have 3 left.");
  });

  it("says when each grounded fact was synced", () => {
    const grounded = markClaims("18.00 EUR", facts, []).find((s) => s.kind === "grounded");
    expect(grounded?.note).toMatch(/price of Merino Hiking Socks, SKU SOCK-MER-M is 18.00 EUR, synced/);
  });
});

describe("the escalation queue's clock", () => {
  it("calls a due time in the past overdue, and no due time never", () => {
    expect(isOverdue("2026-12-04T09:00:00Z", Date.parse("2026-12-05T00:00:00Z"))).toBe(true);
    expect(isOverdue("2026-12-06T09:00:00Z", Date.parse("2026-12-05T00:00:00Z"))).toBe(false);
    expect(isOverdue(null)).toBe(false);
  });

  it("says how long someone has waited", () => {
    const now = Date.parse("2026-12-05T12:00:00Z");
    expect(elapsed("2026-12-05T11:55:00Z", now)).toBe("5 min");
    expect(elapsed("2026-12-05T09:30:00Z", now)).toBe("2 h 30 min");
    expect(elapsed("2026-12-03T12:00:00Z", now)).toBe("2 days");
  });
});
