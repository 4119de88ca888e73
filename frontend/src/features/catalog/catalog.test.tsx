import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, ME, problem } from "@/test/fake-api";
import { FakeEventSource, installFakeEvents } from "@/test/fake-event-source";
import { renderApp, signIn } from "@/test/render";
import { ago, behindShop, fallbackInterval, FALLBACK_POLL_MS, mergePlans, priceRange, refreshPlan, stockLevel, variantLabel } from "./catalog-logic";
import type { Product } from "./types";

const ADMIN = { ...ME, id: "u-ada", role: "admin" };

const product = (id: string, title: string, variants: Partial<Product["variants"][number]>[], extra: Partial<Product> = {}): Product => ({
  id, source_id: "src-1", external_id: id, title, description: "", vendor: "Alpine Loom", product_type: "Socks", tags: [], status: "active", images: [],
  source_updated_at: "2026-12-05T09:00:00Z", updated_at: "2026-12-05T09:00:05Z",
  variants: variants.map((v, i) => ({ id: `${id}-v${i}`, external_id: `${id}-v${i}`, sku: null, title: null, price: "0", compare_at_price: null, currency: "EUR", stock: null, options: {}, ...v })),
  ...extra,
});

const SOCKS = product("p-1", "Merino Hiking Socks", [
  { sku: "SOCK-MER-M", options: { size: "M" }, price: "18.00", stock: 65 },
  { sku: "SOCK-MER-L", options: { size: "L" }, price: "18.00", stock: 0 },
]);
const JACKET = product("p-2", "Packable Rain Jacket", [{ sku: "JKT-M", options: { size: "M", colour: "Blue" }, price: "149.00", compare_at_price: "179.00", stock: 3 }]);

const source = {
  id: "src-1", name: "Trailhead (demo)", kind: "standard", enabled: true, currency: "EUR", webhook_path: "/webhook/catalog/src-1", has_webhook_secret: true,
  previous_secret_expires_at: null, poll_url: "https://shop.example/products.json", has_poll_credentials: false, poll_interval_seconds: 300, next_poll_at: null,
  last_poll_at: null, last_poll_error: null, last_reconciled_at: null, created_at: "2026-12-01T09:00:00Z",
};
const health = {
  source_id: "src-1", name: "Trailhead (demo)", enabled: true, last_webhook_at: new Date(Date.now() - 120_000).toISOString(), last_successful_poll_at: null,
  last_poll_error: null, events_24h: { received: 5, processed: 4, stale: 0, failed: 1, pending: 0, duplicate: 0, refused: 0 }, oldest_pending_event_at: null,
  freshness_lag_seconds: 0, behind_because: null, live_products: 6, last_reconciled_at: null, last_reconcile_drift: null, last_reconcile_tombstoned: null,
};

describe("catalogue logic", () => {
  it("names variants, reads stock levels and price ranges", () => {
    expect(variantLabel({ options: { size: "M", colour: "Blue" }, title: null })).toBe("M, Blue");
    expect(variantLabel({ options: {}, title: "Default Title" })).toBe("Standard");
    expect([stockLevel(0), stockLevel(3), stockLevel(20), stockLevel(null)]).toEqual(["out", "low", "in", "untracked"]);
    expect(priceRange([{ price: "48.00", currency: "EUR" }, { price: "18.00", currency: "EUR" }], (a, c) => `${a} ${c}`)).toBe("18.00 EUR–48.00 EUR");
    const now = Date.parse("2026-12-05T12:00:00Z");
    expect([ago("2026-12-05T11:59:30Z", now), ago("2026-12-05T11:48:00Z", now), ago("2026-12-02T12:00:00Z", now), ago(null, now)]).toEqual(["just now", "12 min ago", "3 days ago", "never"]);
  });
});

describe("live catalogue logic", () => {
  it("refetches the products an event names, or all of them when it names too many", () => {
    expect(refreshPlan({ product_ids: ["p-1", "p-2"], count: 2, truncated: false })).toEqual({ all: false, ids: ["p-1", "p-2"] });
    expect(refreshPlan({ product_ids: ["p-1"], count: 900, truncated: true })).toEqual({ all: true, ids: ["p-1"] });
    expect(refreshPlan({})).toEqual({ all: true, ids: [] });
    expect(mergePlans(null, { all: false, ids: ["p-1"] })).toEqual({ all: false, ids: ["p-1"] });
    expect(mergePlans({ all: false, ids: ["p-1"] }, { all: false, ids: ["p-1", "p-2"] })).toEqual({ all: false, ids: ["p-1", "p-2"] });
    expect(mergePlans({ all: false, ids: ["p-1"] }, { all: true, ids: [] }).all).toBe(true);
  });

  it("polls only while the live stream is down, and slowly", () => {
    expect(fallbackInterval(true)).toBe(false);
    expect(fallbackInterval(false)).toBe(FALLBACK_POLL_MS);
    expect(FALLBACK_POLL_MS).toBeGreaterThan(10_000);
  });
});

describe("the catalogue page", () => {
  it("shows a price the shop changed as soon as the catalogue publishes it, without a reload", async () => {
    const emit = installFakeEvents();
    let socks = SOCKS;
    const api = installFakeApi({ ...baseRoutes, "GET /api/v1/products": () => json({ items: [socks, JACKET], next_cursor: null }) });
    await signIn();
    renderApp("/catalog");
    const card = await screen.findByRole("article", { name: "Merino Hiking Socks" });
    await waitFor(() => expect(FakeEventSource.instances.length).toBeGreaterThan(0));
    FakeEventSource.instances[0].onopen?.(); // the stream is up: no polling
    const before = api.find("GET", "/api/v1/products").length;
    socks = { ...SOCKS, variants: [{ ...SOCKS.variants[0], price: "21.50", stock: 2 }] };
    emit("message.created", { conversation_id: "cv-1" }); // other topics refetch nothing here
    emit("product.updated", { product_ids: ["p-1"], count: 1, truncated: false });
    emit("product.updated", { product_ids: ["p-2"], count: 1, truncated: false }); // the same burst: one refetch
    await waitFor(() => expect(within(card).getAllByRole("row")[1]).toHaveTextContent("€21.502 · Low stock"));
    expect(api.find("GET", "/api/v1/products").length).toBe(before + 1);
  });

  it("lists products with each variant's SKU, price and stock, and how fresh the data is", async () => {
    installFakeApi({ ...baseRoutes, "GET /api/v1/products": () => json({ items: [SOCKS, JACKET], next_cursor: null }) });
    await signIn();
    renderApp("/catalog");
    const socks = await screen.findByRole("article", { name: "Merino Hiking Socks" });
    const rows = within(socks).getAllByRole("row").slice(1);
    expect(rows[0]).toHaveTextContent("MSOCK-MER-M€18.0065 · In stock");
    expect(rows[1]).toHaveTextContent("LSOCK-MER-L€18.000 · Out of stock");
    expect(socks).toHaveTextContent(/Changed at the shop .* · synced/);
    const jacket = screen.getByRole("article", { name: "Packable Rain Jacket" });
    expect(within(jacket).getByLabelText("was €179.00")).toBeInTheDocument();
    expect(jacket).toHaveTextContent("3 · Low stock");
    // A rep sees no sync health and never asks for the sources.
    expect(screen.queryByRole("complementary", { name: "Sync health" })).not.toBeInTheDocument();
  });

  it("finds products by meaning through the search API, best first", async () => {
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/products": () => json({ items: [SOCKS, JACKET], next_cursor: null }),
      "GET /api/v1/search": () => json({ items: [
        { type: "product", id: "p-2", title: "Packable Rain Jacket", snippet: "waterproof shell", score: 0.03 },
        { type: "product", id: "p-1", title: "Merino Hiking Socks", snippet: "wool socks", score: 0.01 },
      ], next_cursor: null }),
      "GET /api/v1/products/p-1": () => json(SOCKS),
      "GET /api/v1/products/p-2": () => json(JACKET),
    });
    await signIn();
    renderApp("/catalog");
    await screen.findByRole("article", { name: "Merino Hiking Socks" });
    await userEvent.type(screen.getByLabelText("Search products"), "something to keep me dry");
    expect(await screen.findByText("2 products, best match first")).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByRole("article").map((a) => a.getAttribute("aria-labelledby"))).toEqual(["product-p-2", "product-p-1"]));
    const call = api.find("GET", "/api/v1/search").at(-1);
    expect(call?.query.get("q")).toBe("something to keep me dry");
    expect(call?.query.get("types")).toBe("product");
  });

  it("shows admins each source's sync health and recent failures, and polls on demand", async () => {
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/users/me": () => json(ADMIN),
      "GET /api/v1/products": () => json({ items: [SOCKS], next_cursor: null }),
      "GET /api/v1/catalog/sources": () => json({ items: [source], next_cursor: null }),
      "GET /api/v1/catalog/sources/src-1/health": () => json(health),
      "GET /api/v1/catalog/sources/src-1/events": ({ query }) => json({ items: query.get("status") === "failed"
        ? [{ id: "e-2", delivery_id: "d-2", topic: "product.updated", status: "failed", error: "variant without a price", external_id: "1009", received_at: "2026-12-05T10:00:00Z", processed_at: null }]
        : [{ id: "e-1", delivery_id: "d-1", topic: "product.updated", status: "processed", error: null, external_id: "1001", received_at: "2026-12-05T10:01:00Z", processed_at: "2026-12-05T10:01:01Z" }], next_cursor: null }),
      "POST /api/v1/catalog/sources/src-1/poll": () => json({ status: "queued" }, 202),
    });
    await signIn();
    renderApp("/catalog");
    const card = await screen.findByRole("region", { name: "Trailhead (demo)" });
    expect(await within(card).findByText("Sync: needs attention")).toBeInTheDocument();
    expect(card).toHaveTextContent("4 applied, 1 failed, 0 waiting, 0 stale");
    expect(card).toHaveTextContent("2 min ago");
    expect(card).toHaveTextContent("Behind the shop bynothing: in step with the shop");
    expect(await within(card).findByText(/product 1001/)).toBeInTheDocument();
    await userEvent.click(within(card).getByLabelText("Failures only"));
    expect(await within(card).findByText("variant without a price")).toBeInTheDocument();
    await userEvent.click(within(card).getByRole("button", { name: "Poll now" }));
    expect(await within(card).findByText("Poll queued: changes appear within a minute.")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/catalog/sources/src-1/poll")).toHaveLength(1);
  });

  it("reads a quiet shop as in step, and names what is missing when the catalogue is behind", () => {
    expect(behindShop(0, null)).toBe("nothing: in step with the shop");
    expect(behindShop(1260, "polls are failing (3 in a row): 503")).toBe("21 min · polls are failing (3 in a row): 503");
    expect(behindShop(45, "deliveries received and not applied yet")).toBe("45 s · deliveries received and not applied yet");
  });

  it("says why polling is refused", async () => {
    installFakeApi({
      ...baseRoutes,
      "GET /api/v1/users/me": () => json(ADMIN),
      "GET /api/v1/products": () => json({ items: [], next_cursor: null }),
      "GET /api/v1/catalog/sources": () => json({ items: [source], next_cursor: null }),
      "GET /api/v1/catalog/sources/src-1/health": () => json(health),
      "GET /api/v1/catalog/sources/src-1/events": () => json({ items: [], next_cursor: null }),
      "POST /api/v1/catalog/sources/src-1/poll": () => problem(422, "Invalid source settings", "This source has no poll URL."),
    });
    await signIn();
    renderApp("/catalog");
    expect(await screen.findByText("No products.")).toBeInTheDocument();
    const card = await screen.findByRole("region", { name: "Trailhead (demo)" });
    await userEvent.click(within(card).getByRole("button", { name: "Poll now" }));
    expect(await within(card).findByRole("alert")).toHaveTextContent("This source has no poll URL.");
  });
});
