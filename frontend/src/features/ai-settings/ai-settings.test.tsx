import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, ME, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import { chartPoints } from "./components/calibration-chart";
import { policyChanges, valuesFromPolicy } from "./policy-form-logic";
import type { Calibration, Knowledge, Policy } from "./types";

const ADMIN = { ...ME, id: "u-ada", email: "admin@example.com", full_name: "Ada Admin", role: "admin" };

const POLICY: Policy = {
  mode: "live", provider: "local", auto_send_threshold: 0.9, approval_threshold: 0.6,
  intent_rules: { availability: "auto", complaint: "approval_only", spam: "never_reply" },
  daily_auto_replies_per_contact: 3, max_catalog_lag_seconds: 900, signature: "The shop team", quiet_hours: null, retrain_after_reviews: 50,
};

const tally = (reviewed: number, accepted: number) => ({ reviewed, accepted, unchanged: accepted, precision: reviewed ? accepted / reviewed : null, unchanged_share: reviewed ? accepted / reviewed : null });
const CALIBRATION: Calibration = {
  decided: 40, reviewed: 20, bands: [], intents: {},
  thresholds: [
    { threshold: 0.6, auto_send_share: 0.8, ...tally(20, 15) },
    { threshold: 0.9, auto_send_share: 0.25, ...tally(6, 6) },
    { threshold: 0.95, auto_send_share: 0.1, ...tally(0, 0) },
  ],
};

const entry: Knowledge = { id: "k-1", topic: "shipping", title: "Shipping", body: "We ship within 2 days.", intents: [], version: 1, created_at: "2026-12-01T09:00:00Z", updated_at: "2026-12-01T09:00:00Z" };

function aiApi(extra: Parameters<typeof installFakeApi>[0] = {}) {
  let policy = POLICY;
  return installFakeApi({
    ...baseRoutes,
    "GET /api/v1/users/me": () => json(ADMIN),
    "GET /api/v1/ai/policy": () => json(policy),
    "PATCH /api/v1/ai/policy": ({ body }) => {
      const b = body as Partial<Policy>;
      policy = { ...policy, ...b, intent_rules: { ...policy.intent_rules, ...(b.intent_rules ?? {}) } };
      return json(policy);
    },
    "GET /api/v1/ai/calibration": () => json(CALIBRATION),
    "GET /api/v1/ai/knowledge": () => json([entry]),
    ...extra,
  });
}

describe("policy form logic", () => {
  it("sends only what changed, thresholds as shares, quiet hours as times", () => {
    const values = { ...valuesFromPolicy(POLICY), auto_send: 85, quiet_on: true, quiet_start: "22:00", quiet_end: "07:00", quiet_timezone: "Europe/Berlin" };
    values.rules = { ...values.rules, complaint: "never_reply" };
    expect(policyChanges(POLICY, values)).toEqual({
      auto_send_threshold: 0.85, quiet_hours: { start: "22:00", end: "07:00", timezone: "Europe/Berlin" }, intent_rules: { complaint: "never_reply" },
    });
    expect(policyChanges(POLICY, valuesFromPolicy(POLICY))).toEqual({});
    const withQuiet = { ...POLICY, quiet_hours: { start: "22:00:00", end: "07:00:00", timezone: "UTC" } };
    expect(policyChanges(withQuiet, valuesFromPolicy(withQuiet))).toEqual({});
    expect(policyChanges(withQuiet, { ...valuesFromPolicy(withQuiet), quiet_on: false })).toEqual({ quiet_hours: null });
  });

  it("draws shares as percentages and leaves thresholds nobody reviewed blank", () => {
    expect(chartPoints(CALIBRATION.thresholds)).toEqual([
      { threshold: "60%", precision: 75, autoSend: 80 }, { threshold: "90%", precision: 100, autoSend: 25 }, { threshold: "95%", precision: null, autoSend: 10 },
    ]);
  });
});

describe("Settings > AI", () => {
  it("changes the mode and the auto-send threshold, sending only those", async () => {
    const api = aiApi();
    await signIn();
    renderApp("/settings/ai");
    const form = await screen.findByRole("form", { name: "AI policy" }, { timeout: 5_000 });
    await userEvent.selectOptions(within(form).getByLabelText("Mode"), "shadow");
    const threshold = within(form).getByLabelText("Auto-send threshold (%)");
    await userEvent.clear(threshold);
    await userEvent.type(threshold, "85");
    await userEvent.selectOptions(within(form).getByLabelText("complaint"), "never_reply");
    await userEvent.click(within(form).getByRole("button", { name: "Save policy" }));
    expect(await within(form).findByText("AI policy saved. The next message is decided with it.")).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/ai/policy")[0].body).toEqual({ mode: "shadow", auto_send_threshold: 0.85, intent_rules: { complaint: "never_reply" } });
  });

  it("refuses an approval threshold above the auto-send one before asking the server", async () => {
    const api = aiApi();
    await signIn();
    renderApp("/settings/ai");
    const form = await screen.findByRole("form", { name: "AI policy" }, { timeout: 5_000 });
    const approval = within(form).getByLabelText("Approval threshold (%)");
    await userEvent.clear(approval);
    await userEvent.type(approval, "95");
    await userEvent.click(within(form).getByRole("button", { name: "Save policy" }));
    expect(await within(form).findByText("Must not be above the auto-send threshold.")).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/ai/policy")).toHaveLength(0);
  });

  it("shows the server's refusal in words", async () => {
    aiApi({ "PATCH /api/v1/ai/policy": () => problem(422, "Invalid input", undefined, { errors: [{ field: "quiet_hours.timezone", message: "unknown time zone 'Mars/Base'" }] }) });
    await signIn();
    renderApp("/settings/ai");
    const form = await screen.findByRole("form", { name: "AI policy" }, { timeout: 5_000 });
    await userEvent.click(within(form).getByLabelText("Send nothing automatically during quiet hours"));
    const zone = within(form).getByLabelText("Time zone");
    await userEvent.clear(zone);
    await userEvent.type(zone, "Mars/Base");
    await userEvent.click(within(form).getByRole("button", { name: "Save policy" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Timezone: unknown time zone 'Mars/Base'");
  });

  it("shows the calibration report beside the form, with a table view of the same numbers", async () => {
    aiApi();
    await signIn();
    renderApp("/settings/ai");
    const calibration = await screen.findByRole("region", { name: "Calibration" }, { timeout: 5_000 });
    expect(await within(calibration).findByText(/From 20 reviewed of 40 decided messages; the auto-send threshold is 90%/)).toBeInTheDocument();
    await userEvent.click(within(calibration).getByRole("button", { name: "Show table" }));
    const rows = within(within(calibration).getByRole("table")).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.textContent)).toEqual(["60%75%80%20", "90%100%25%6", "95%—10%0"]);
  });

  it("adds, edits (a new version) and lists seller knowledge", async () => {
    let entries = [entry];
    const api = aiApi({
      "GET /api/v1/ai/knowledge": () => json(entries),
      "POST /api/v1/ai/knowledge": ({ body }) => {
        const created = { ...entry, ...(body as object), id: "k-2", version: 1 };
        entries = [...entries, created];
        return json(created, 201);
      },
      "PATCH /api/v1/ai/knowledge/k-1": ({ body }) => {
        entries = entries.map((e) => (e.id === "k-1" ? { ...e, ...(body as object), version: 2 } : e));
        return json(entries[0]);
      },
      "GET /api/v1/ai/knowledge/k-1/versions": () => json([
        { version: 1, topic: "shipping", title: "Shipping", body: "We ship within 2 days.", intents: [], created_by_id: null, created_at: "2026-12-01T09:00:00Z" },
        { version: 2, topic: "shipping", title: "Shipping", body: "We ship the same day.", intents: [], created_by_id: null, created_at: "2026-12-02T09:00:00Z" },
      ]),
    });
    await signIn();
    renderApp("/settings/ai");
    await screen.findByRole("article", { name: "Shipping" }, { timeout: 5_000 });
    await userEvent.click(screen.getByRole("button", { name: "New entry" }));
    const form = screen.getByRole("form", { name: "New knowledge entry" });
    await userEvent.type(within(form).getByLabelText("Topic"), "Returns!");
    await userEvent.type(within(form).getByLabelText("Title"), "Returns");
    await userEvent.type(within(form).getByLabelText("Text"), "30 days to return.");
    await userEvent.click(within(form).getByLabelText("complaint"));
    await userEvent.click(within(form).getByRole("button", { name: "Add entry" }));
    expect(await within(form).findByText("Letters, digits, spaces and _ only, like shipping.")).toBeInTheDocument();
    await userEvent.clear(within(form).getByLabelText("Topic"));
    await userEvent.type(within(form).getByLabelText("Topic"), "Returns");  // lower-cased, not refused
    await userEvent.click(within(form).getByRole("button", { name: "Add entry" }));
    expect(await screen.findByText("Added Returns.")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/ai/knowledge")[0].body).toEqual({ topic: "returns", title: "Returns", body: "30 days to return.", intents: ["complaint"] });

    await userEvent.click(screen.getByRole("button", { name: "Edit Shipping" }));
    const edit = screen.getByRole("form", { name: "Edit Shipping" });
    await userEvent.clear(within(edit).getByLabelText("Text"));
    await userEvent.type(within(edit).getByLabelText("Text"), "We ship the same day.");
    await userEvent.click(within(edit).getByRole("button", { name: "Save new version" }));
    expect(await screen.findByText("Saved Shipping (version 2).")).toBeInTheDocument();
    const shipping = screen.getByRole("article", { name: "Shipping" });
    await userEvent.click(within(shipping).getByRole("button", { name: "Versions" }));
    await waitFor(() => expect(within(shipping).getAllByText(/^Version \d$/).map((n) => n.textContent)).toEqual(["Version 2", "Version 1"]));
  });

  it("is for managers too: a manager changes the policy beside the calibration, with no seller knowledge or admin sections", async () => {
    const api = aiApi({ "GET /api/v1/users/me": () => json({ ...ME, id: "u-maria", role: "manager" }) });
    await signIn();
    renderApp("/settings");
    const form = await screen.findByRole("form", { name: "AI policy" });
    expect(await screen.findByRole("region", { name: "Calibration" })).toBeInTheDocument();
    const threshold = within(form).getByLabelText("Auto-send threshold (%)");
    await userEvent.clear(threshold);
    await userEvent.type(threshold, "93");
    await userEvent.click(within(form).getByRole("button", { name: "Save policy" }));
    expect(await within(form).findByText("AI policy saved. The next message is decided with it.")).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/ai/policy").at(-1)?.body).toEqual({ auto_send_threshold: 0.93 });
    // Seller knowledge and the other sections stay with admins: never asked for, never offered.
    expect(api.find("GET", "/api/v1/ai/knowledge")).toHaveLength(0);
    expect(within(screen.getByRole("navigation", { name: "Settings" })).getAllByRole("link").map((l) => l.textContent)).toEqual(["AI"]);
    expect(within(screen.getByRole("navigation", { name: "Main" })).getByRole("link", { name: "Settings" })).toBeInTheDocument();
  });

  it("is not for reps: a rep never asks for the policy and has no Settings link", async () => {
    const api = installFakeApi({ ...baseRoutes });
    await signIn();
    renderApp("/settings/ai");
    expect(await screen.findByText("Only managers and admins can change this.", undefined, { timeout: 5_000 })).toBeInTheDocument();
    expect(api.find("GET", "/api/v1/ai/policy")).toHaveLength(0);
    expect(within(screen.getByRole("navigation", { name: "Main" })).queryByRole("link", { name: "Settings" })).not.toBeInTheDocument();
  });
});
