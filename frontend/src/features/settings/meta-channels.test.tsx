import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, ME } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import { metaSettingsFrom, metaValuesFromChannel, missingMetaSecret } from "./meta-channel-logic";
import type { Channel } from "./types";

const ADMIN = { ...ME, id: "u-ada", email: "admin@example.com", full_name: "Ada Admin", role: "admin" };
const health = (extra = {}) => ({
  channel_id: "x", enabled: true, last_received_at: null, last_polled_at: null, last_error: null, last_error_at: null,
  messages_in_24h: 0, messages_out_24h: 0, outbound_queued: 0, outbound_failed: 0, outbound_retrying: 0, inbound_failed: 0, token_error: null, token_error_at: null,
  ...extra,
});
const whatsapp = (extra: Partial<Channel> = {}): Channel => ({
  id: "ch-wa", kind: "whatsapp", name: "Shop WhatsApp", enabled: true,
  settings: { phone_number_id: "1098765", display_phone_number: "+49 30 1234567", graph_base_url: "https://graph.facebook.com/v21.0" },
  secrets_set: ["app_secret", "access_token", "verify_token"], default_owner_id: null, webhook_path: "/webhook/meta/ch-wa",
  created_at: "2026-12-01T09:00:00Z", updated_at: "2026-12-01T09:00:00Z", ...extra,
});
const pipelines = [{ id: "p-1", name: "Sales", is_default: true, position: 0, stages: [
  { id: "s-new", name: "New lead", position: 0, probability: 10, kind: "open" }, { id: "s-won", name: "Won", position: 1, probability: 100, kind: "won" },
] }];

describe("Settings > Channels: WhatsApp, Messenger and Lead Ads", () => {
  it("creates a WhatsApp channel with its three secrets and shows Meta's callback URL and verify-token hint", async () => {
    let channels: Channel[] = [];
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/users/me": () => json(ADMIN),
      "GET /api/v1/channels": () => json({ items: channels, next_cursor: null }),
      "GET /api/v1/channels/ch-wa/health": () => json(health({ token_error: "Error validating access token (190)", token_error_at: "2026-12-05T08:00:00Z" })),
      "POST /api/v1/channels": ({ body }) => {
        channels = [whatsapp({ name: (body as { name: string }).name })];
        return json(channels[0], 201);
      },
    });
    await signIn();
    renderApp("/settings/channels");
    await userEvent.click(await screen.findByRole("button", { name: "New WhatsApp, Messenger or Lead Ads channel" }));
    const form = screen.getByRole("form", { name: "New Meta channel" });
    await userEvent.type(within(form).getByLabelText("Name"), "Shop WhatsApp");
    await userEvent.type(within(form).getByLabelText("Phone number id"), "+1098765");
    await userEvent.click(within(form).getByRole("button", { name: "Create channel" }));
    expect(await within(form).findByText("Meta's numeric id, digits only.")).toBeInTheDocument();
    expect(within(form).getByText("Give the number customers write to, e.g. +49 30 1234567.")).toBeInTheDocument();

    await userEvent.clear(within(form).getByLabelText("Phone number id"));
    await userEvent.type(within(form).getByLabelText("Phone number id"), "1098765");
    await userEvent.type(within(form).getByLabelText("Display phone number"), "+49 30 1234567");
    await userEvent.type(within(form).getByLabelText("WhatsApp Business Account id"), "102290129340398");
    await userEvent.type(within(form).getByLabelText("App secret"), "app-secret");
    await userEvent.type(within(form).getByLabelText("Access token"), "EAAG-token");
    await userEvent.click(within(form).getByRole("button", { name: "Create channel" }));
    expect(await within(form).findByText("Verify token is needed: Meta channels use all three secrets.")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/channels")).toHaveLength(0);
    await userEvent.type(within(form).getByLabelText("Verify token"), "my verify phrase");
    await userEvent.click(within(form).getByRole("button", { name: "Create channel" }));

    const card = await screen.findByRole("region", { name: "Shop WhatsApp" });
    expect(api.find("POST", "/api/v1/channels")[0].body).toEqual({
      kind: "whatsapp", name: "Shop WhatsApp", enabled: true,
      settings: { phone_number_id: "1098765", display_phone_number: "+49 30 1234567", business_account_id: "102290129340398" },
      secrets: { app_secret: "app-secret", access_token: "EAAG-token", verify_token: "my verify phrase" },
    });
    expect(within(card).getByLabelText("Webhook URL to paste into the provider")).toHaveValue(`${window.location.origin}/webhook/meta/ch-wa`);
    expect(within(card).getByText(/as the verify token, the phrase saved here \(set;/)).toBeInTheDocument();
    expect(within(card).getByText("+49 30 1234567 (id 1098765)")).toBeInTheDocument();
    expect(await within(card).findByText(/Refused by Meta: Error validating access token \(190\)/)).toBeInTheDocument();
    expect(within(card).getByRole("heading", { name: "Health: needs attention" })).toBeInTheDocument();
  });

  it("edits a Lead Ads channel: pipeline, open stage and owner; blank secrets are kept", async () => {
    const leads = whatsapp({ id: "ch-la", kind: "lead_ads", name: "Spring campaign", webhook_path: "/webhook/meta/ch-la",
      settings: { page_id: "5551234", pipeline_id: "p-1", stage_id: "s-new", owner_id: null } });
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/users/me": () => json(ADMIN),
      "GET /api/v1/channels": () => json({ items: [leads], next_cursor: null }),
      "GET /api/v1/channels/ch-la/health": () => json(health()),
      "GET /api/v1/pipelines": () => json(pipelines),
      "PATCH /api/v1/channels/ch-la": ({ body }) => json({ ...leads, ...(body as object) }),
    });
    await signIn();
    renderApp("/settings/channels");
    await userEvent.click(await screen.findByRole("button", { name: "Edit Spring campaign" }));
    const form = screen.getByRole("form", { name: "Edit Spring campaign" });
    expect(within(form).getByLabelText("Kind")).toHaveValue("Facebook Lead Ads");
    expect(await within(form).findByRole("option", { name: "New lead" })).toBeInTheDocument();
    expect(within(form).queryByRole("option", { name: "Won" })).not.toBeInTheDocument(); // leads start in an open stage
    await userEvent.selectOptions(within(form).getByLabelText("Owner of new leads"), "u-rita");
    await userEvent.click(within(form).getByRole("button", { name: "Save channel" }));
    expect(await screen.findByText("Saved Spring campaign.")).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/channels/ch-la")[0].body).toEqual({
      name: "Spring campaign", enabled: true, settings: { page_id: "5551234", pipeline_id: "p-1", stage_id: "s-new", owner_id: "u-rita" }, secrets: {},
    });
  });
});

describe("Meta channel values", () => {
  it("sends only the kind's own settings (the API refuses unknown keys) and finds a missing secret", () => {
    const v = { ...metaValuesFromChannel("messenger"), name: "Page", page_id: "42", phone_number_id: "7", graph_base_url: "" };
    expect(metaSettingsFrom(v)).toEqual({ page_id: "42" });
    expect(metaSettingsFrom({ ...v, graph_base_url: "http://127.0.0.1:9000" })).toEqual({ page_id: "42", graph_base_url: "http://127.0.0.1:9000" });
    expect(missingMetaSecret({ ...v, app_secret: "a" }, ["access_token"])).toBe("verify_token");
    expect(missingMetaSecret(v, ["app_secret", "access_token", "verify_token"])).toBeNull();
  });
});
