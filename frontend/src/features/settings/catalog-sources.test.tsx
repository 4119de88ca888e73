import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { baseRoutes, installFakeApi, json, ME, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import { createBody, generateSecret, previousSecretValid, serverFieldErrors, updateBody, valuesFromSource } from "./source-form-logic";
import type { CatalogSource } from "./source-types";

const ADMIN = { ...ME, id: "u-ada", email: "admin@example.com", full_name: "Ada Admin", role: "admin" };
const LATER = new Date(Date.now() + 20 * 3600_000).toISOString();

const source = (extra: Partial<CatalogSource> = {}): CatalogSource => ({
  id: "src-1", name: "Trailhead", kind: "shopify", enabled: true, currency: "EUR", webhook_path: "/webhook/catalog/src-1", has_webhook_secret: true,
  previous_secret_expires_at: null, poll_url: "https://trailhead.example/admin/api/2025-10/products.json", has_poll_credentials: true,
  poll_interval_seconds: 300, next_poll_at: null, last_poll_at: null, last_poll_error: null, last_reconciled_at: null, created_at: "2026-12-01T09:00:00Z",
  ...extra,
});

const health = {
  source_id: "src-1", name: "Trailhead", enabled: true, last_webhook_at: null, last_successful_poll_at: null, last_poll_error: null,
  events_24h: { received: 0, processed: 0, stale: 0, failed: 0, pending: 0, duplicate: 0, refused: 0 }, oldest_pending_event_at: null,
  freshness_lag_seconds: 0, behind_because: null, live_products: 6, last_reconciled_at: null, last_reconcile_drift: null, last_reconcile_tombstoned: null,
};

function sourcesApi(routes: Parameters<typeof installFakeApi>[0] = {}) {
  return installFakeApi({
    ...baseRoutes,
    "GET /api/v1/users/me": () => json(ADMIN),
    "GET /api/v1/catalog/sources": () => json({ items: [source()], next_cursor: null }),
    "GET /api/v1/catalog/sources/:id/health": () => json(health),
    "GET /api/v1/catalog/sources/:id/events": () => json({ items: [], next_cursor: null }),
    "POST /api/v1/catalog/sources/:id/poll": () => json({ status: "queued" }, 202),
    ...routes,
  });
}

afterEach(() => vi.unstubAllGlobals());

describe("catalogue source form logic", () => {
  it("creates with every field, edits with only what changed, and keeps stored credentials when left blank", () => {
    const values = { ...valuesFromSource(), name: " Shop ", kind: "woocommerce" as const, poll_url: "https://shop.example/wp-json/wc/v3/products", poll_credentials: "ck_1:cs_2", poll_interval_minutes: 10 };
    expect(createBody(values)).toEqual({
      name: "Shop", kind: "woocommerce", currency: "EUR", enabled: true, poll_interval_seconds: 600, webhook_secret: null,
      poll_url: "https://shop.example/wp-json/wc/v3/products", poll_credentials: "ck_1:cs_2",
    });
    const held = source();
    expect(updateBody(held, valuesFromSource(held))).toEqual({});
    expect(updateBody(held, { ...valuesFromSource(held), poll_url: "", poll_interval_minutes: 1 })).toEqual({ poll_url: null, poll_interval_seconds: 60 });
  });

  it("makes Standard Webhooks secrets of 32 random bytes", () => {
    const secret = generateSecret(() => new Uint8Array(32).fill(255));
    expect(secret).toBe(`whsec_${"/".repeat(42)}8=`);
    expect(generateSecret()).not.toBe(generateSecret());
  });

  it("reads the grace period and the server's field errors", () => {
    const now = Date.parse("2026-12-05T12:00:00Z");
    expect(previousSecretValid({ previous_secret_expires_at: "2026-12-06T12:00:00Z" }, now)).toBe(true);
    expect(previousSecretValid({ previous_secret_expires_at: "2026-12-05T11:00:00Z" }, now)).toBe(false);
    expect(previousSecretValid({ previous_secret_expires_at: null }, now)).toBe(false);
    expect(serverFieldErrors([{ field: "poll_url", message: "must be an https URL" }, { field: "poll_interval_seconds", message: "too short" }, { field: "x", message: "?" }]))
      .toEqual({ poll_url: "must be an https URL", poll_interval_minutes: "too short" });
  });
});

describe("Settings > Catalogue sources", () => {
  it("shows each source's secrets as set or not (never their values), the webhook URL to copy, and its sync health", async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    sourcesApi({
      "GET /api/v1/catalog/sources": () => json({ items: [source({ has_poll_credentials: false, previous_secret_expires_at: LATER })], next_cursor: null }),
    });
    await signIn();
    renderApp("/settings/catalog-sources");
    const card = await screen.findByRole("region", { name: "Trailhead" });
    expect(card).toHaveTextContent("Webhook secretSet");
    expect(card).toHaveTextContent("Poll credentialsNot set");
    expect(card).toHaveTextContent(/Previous secretStill valid until/);
    const url = within(card).getByLabelText("Webhook URL to paste into the shop");
    expect(url).toHaveValue(`${window.location.origin}/webhook/catalog/src-1`);
    await userEvent.click(within(card).getByRole("button", { name: "Copy" }));
    expect(writeText).toHaveBeenCalledWith(`${window.location.origin}/webhook/catalog/src-1`);
    expect(await within(card).findByText("Copied.")).toBeInTheDocument();
    const sync = within(card).getByRole("group", { name: "Sync health of Trailhead" });
    expect(await within(sync).findByText("Sync: healthy")).toBeInTheDocument();
    expect(within(screen.getByRole("navigation", { name: "Settings" })).getByRole("link", { name: "Catalogue sources" })).toHaveAttribute("aria-current", "page");
  });

  it("after 'Poll now', shows a refused poll within seconds, without a reload", async () => {
    let polled = false;
    sourcesApi({
      "GET /api/v1/catalog/sources/:id/health": () => json(polled ? { ...health, last_poll_error: "poll credentials were refused (401)" } : health),
      "POST /api/v1/catalog/sources/:id/poll": () => {
        setTimeout(() => { polled = true; }, 500); // the worker's poll fails a moment after it was queued
        return json({ status: "queued" }, 202);
      },
    });
    await signIn();
    renderApp("/settings/catalog-sources");
    const sync = await screen.findByRole("group", { name: "Sync health of Trailhead" });
    expect(await within(sync).findByText("Sync: healthy")).toBeInTheDocument();
    await userEvent.click(within(sync).getByRole("button", { name: "Poll now" }));
    expect(await within(sync).findByText("Sync: needs attention", {}, { timeout: 4_000 })).toBeInTheDocument();
  });

  it("creates a Standard Webhooks source with a generated secret, and shows the server's refusal under its field", async () => {
    let refuse = true;
    const api = sourcesApi({
      "GET /api/v1/catalog/sources": () => json({ items: [], next_cursor: null }),
      "POST /api/v1/catalog/sources": ({ body }) => refuse
        ? problem(422, "Invalid catalogue source settings", "poll_url: standard sources are not polled", { errors: [{ field: "poll_url", in: "body", message: "standard sources are not polled" }] })
        : json(source({ ...(body as object), id: "src-2" } as Partial<CatalogSource>), 201),
    });
    await signIn();
    renderApp("/settings/catalog-sources");
    expect(await screen.findByText("No catalogue sources yet.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "New catalogue source" }));
    const form = screen.getByRole("form", { name: "New catalogue source" });
    await userEvent.type(within(form).getByLabelText("Name"), "Our shop");
    await userEvent.selectOptions(within(form).getByLabelText("Kind"), "feed");
    await userEvent.click(within(form).getByRole("button", { name: "Generate a secret" }));
    const secret = (within(form).getByLabelText("Webhook secret") as HTMLInputElement).value;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await userEvent.type(within(form).getByLabelText("Poll URL"), "https://feed.example/products.json");
    await userEvent.click(within(form).getByRole("button", { name: "Create source" }));
    expect(await within(form).findByText("standard sources are not polled")).toBeInTheDocument();
    expect(within(form).getByLabelText("Poll URL")).toHaveAttribute("aria-invalid", "true");
    refuse = false;
    await userEvent.click(within(form).getByRole("button", { name: "Create source" }));
    expect(await screen.findByText(/^Created Our shop\. Give the shop's webhook sender the secret you generated\.$/)).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/catalog/sources").at(-1)?.body).toEqual({
      name: "Our shop", kind: "feed", currency: "EUR", enabled: true, poll_interval_seconds: 300, webhook_secret: secret,
      poll_url: "https://feed.example/products.json", poll_credentials: null,
    });
  });

  it("rotates the secret and says until when the old one still works", async () => {
    const api = sourcesApi({
      "GET /api/v1/catalog/sources": () => json({ items: [source({ kind: "standard", poll_url: null, has_poll_credentials: false })], next_cursor: null }),
      "PATCH /api/v1/catalog/sources/src-1": () => json(source({ kind: "standard", previous_secret_expires_at: "2026-12-06T12:00:00Z" })),
    });
    await signIn();
    renderApp("/settings/catalog-sources");
    const card = await screen.findByRole("region", { name: "Trailhead" });
    await userEvent.click(within(card).getByRole("button", { name: "Rotate the secret of Trailhead" }));
    const form = within(card).getByRole("form", { name: "Rotate the secret of Trailhead" });
    const fresh = (within(form).getByLabelText("New webhook secret") as HTMLInputElement).value;
    expect(fresh).toMatch(/^whsec_/);
    await userEvent.click(within(form).getByRole("button", { name: "Save new secret" }));
    expect(await screen.findByText(/^Secret rotated for Trailhead\. The old one stays valid until /)).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/catalog/sources/src-1")[0].body).toEqual({ webhook_secret: fresh });
    // No poll URL: neither poll nor reconciliation can be asked for, and the card says why.
    expect(within(card).getByRole("button", { name: "Full reconciliation" })).toBeDisabled();
    expect(card).toHaveTextContent("This source has no poll URL: it only receives webhooks.");
  });

  it("edits only what changed, keeps the stored credentials, and queues a full reconciliation", async () => {
    const api = sourcesApi({ "PATCH /api/v1/catalog/sources/src-1": ({ body }) => json(source(body as Partial<CatalogSource>)) });
    await signIn();
    renderApp("/settings/catalog-sources");
    const card = await screen.findByRole("region", { name: "Trailhead" });
    await userEvent.click(within(card).getByRole("button", { name: "Edit Trailhead" }));
    const form = within(card).getByRole("form", { name: "Edit Trailhead" });
    expect(within(form).getByText(/Set\. Type new ones to replace them; leave blank to keep them\./)).toBeInTheDocument();
    expect(within(form).queryByLabelText("Kind")).not.toBeInTheDocument();
    const minutes = within(form).getByLabelText("Poll every (minutes)");
    await userEvent.clear(minutes);
    await userEvent.type(minutes, "15");
    await userEvent.click(within(form).getByRole("button", { name: "Save source" }));
    expect(await screen.findByText("Saved Trailhead.")).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/catalog/sources/src-1")[0].body).toEqual({ poll_interval_seconds: 900 });

    await userEvent.click(within(card).getByRole("button", { name: "Full reconciliation" }));
    expect(await within(card).findByText(/^Full reconciliation queued/)).toBeInTheDocument();
    await waitFor(() => expect(api.find("POST", "/api/v1/catalog/sources/src-1/poll").map((c) => c.query.get("full"))).toEqual(["true"]));
  });

  it("is for admins only: a manager never asks for the sources", async () => {
    const api = sourcesApi({ "GET /api/v1/users/me": () => json({ ...ME, role: "manager" }) });
    await signIn();
    renderApp("/settings/catalog-sources");
    expect(await screen.findByText("Only admins can change settings.")).toBeInTheDocument();
    expect(api.find("GET", "/api/v1/catalog/sources")).toHaveLength(0);
  });
});
