import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, ME, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import type { Channel } from "./types";

const ADMIN = { ...ME, id: "u-ada", email: "admin@example.com", full_name: "Ada Admin", role: "admin" };

const channel = (extra: Partial<Channel> = {}): Channel => ({
  id: "ch-1", kind: "email", name: "Shop mailbox", enabled: true,
  settings: { address: "hello@shop.example", inbound: "mailgun" }, secrets_set: ["signing_key"], default_owner_id: null,
  webhook_path: "/webhook/email/ch-1", created_at: "2026-12-01T09:00:00Z", updated_at: "2026-12-01T09:00:00Z", ...extra,
});

const health = {
  channel_id: "ch-1", enabled: true, last_received_at: "2026-12-04T10:00:00Z", last_polled_at: null, last_error: null,
  last_error_at: null, messages_in_24h: 12, messages_out_24h: 3, outbound_queued: 0, outbound_failed: 1, inbound_failed: 0,
  outbound_retrying: 0,
};

function channelsApi(routes: Parameters<typeof installFakeApi>[0] = {}) {
  return installFakeApi({
    ...baseRoutes,
    "GET /api/v1/users/me": () => json(ADMIN),
    "GET /api/v1/channels": () => json({ items: [channel()], next_cursor: null }),
    "GET /api/v1/channels/ch-1/health": () => json(health),
    ...routes,
  });
}

describe("Settings > Channels", () => {
  it("shows each channel's secrets set (never their values), the absolute webhook URL and its health", async () => {
    channelsApi();
    await signIn();
    renderApp("/settings/channels");
    const card = await screen.findByRole("region", { name: "Shop mailbox" });
    expect(within(card).getByText("Mailgun signing key")).toBeInTheDocument();
    expect(within(card).getByLabelText("Webhook URL to paste into the provider")).toHaveValue(`${window.location.origin}/webhook/email/ch-1`);
    expect(within(card).getByText("No SMTP server: replies cannot be sent")).toBeInTheDocument();
    const healthPanel = await within(card).findByLabelText("Health");
    expect(healthPanel).toHaveTextContent("Health: needs attention");
    expect(healthPanel).toHaveTextContent("12 in, 3 out");
    expect(healthPanel).toHaveTextContent("1 outgoing, 0 incoming");
    // The nav offers Settings to admins.
    expect(within(screen.getByRole("navigation", { name: "Main" })).getByRole("link", { name: "Settings" })).toBeInTheDocument();
  });

  it("warns while replies are being retried, with the send error, and is good once sends work", async () => {
    let current: Record<string, unknown> = { ...health, outbound_failed: 0, outbound_queued: 1, outbound_retrying: 1, last_error_at: "2026-12-06T06:42:00Z",
      last_error: "sending is being retried: SMTP server unreachable: SMTPConnectError('Connection refused')" };
    channelsApi({ "GET /api/v1/channels/ch-1/health": () => json(current) });
    await signIn();
    const view = renderApp("/settings/channels");
    const card = await screen.findByRole("region", { name: "Shop mailbox" });
    const panel = await within(card).findByLabelText("Health");
    expect(panel).toHaveTextContent("Health: needs attention");
    expect(panel).toHaveTextContent("1, 1 being retried after a failed attempt");
    expect(panel).toHaveTextContent("sending is being retried: SMTP server unreachable");
    view.unmount();

    current = { ...health, outbound_failed: 0 };
    renderApp("/settings/channels");
    const healed = await within(await screen.findByRole("region", { name: "Shop mailbox" })).findByLabelText("Health");
    expect(healed).toHaveTextContent("Health: good");
    expect(healed).not.toHaveTextContent("being retried");
  });

  it("creates a Mailgun channel with SMTP, asking for the signing key first", async () => {
    const api = channelsApi({
      "GET /api/v1/channels": () => json({ items: [], next_cursor: null }),
      "POST /api/v1/channels": ({ body }) => json(channel({ ...(body as object), id: "ch-2", name: "Support" } as Partial<Channel>), 201),
    });
    await signIn();
    renderApp("/settings/channels");
    expect(await screen.findByText("No channels yet.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "New email channel" }));
    const form = screen.getByRole("form", { name: "New email channel" });
    await userEvent.type(within(form).getByLabelText("Name"), "Support");
    await userEvent.type(within(form).getByLabelText("Shop email address"), "support@shop.example");
    await userEvent.click(within(form).getByLabelText("Send replies through an SMTP server"));
    await userEvent.type(within(form).getByLabelText("SMTP host"), "smtp.shop.example");
    await userEvent.type(within(form).getByLabelText("SMTP port"), "587");
    await userEvent.click(within(form).getByRole("button", { name: "Create channel" }));
    expect(await within(form).findByText("Mailgun signing key is needed for Mailgun (webhook).")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/channels")).toHaveLength(0);

    await userEvent.type(within(form).getByLabelText("Mailgun signing key"), "key-123");
    await userEvent.click(within(form).getByRole("button", { name: "Create channel" }));
    expect(await screen.findByText("Created Support.")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/channels")[0].body).toEqual({
      kind: "email", name: "Support", enabled: true,
      settings: { address: "support@shop.example", inbound: "mailgun", basic_auth_user: null, imap: null,
        smtp: { host: "smtp.shop.example", port: 587, username: null, security: "starttls" } },
      secrets: { signing_key: "key-123" },
    });
  });

  it("edits a channel: a blank secret keeps the stored one, a typed one replaces it", async () => {
    let current = channel();
    const api = channelsApi({
      "GET /api/v1/channels": () => json({ items: [current], next_cursor: null }),
      "PATCH /api/v1/channels/ch-1": ({ body }) => {
        const b = body as { name: string; settings: Record<string, unknown>; secrets: Record<string, string> };
        current = { ...current, name: b.name, settings: b.settings, secrets_set: [...new Set([...current.secrets_set, ...Object.keys(b.secrets)])] };
        return json(current);
      },
    });
    await signIn();
    renderApp("/settings/channels");
    await userEvent.click(await screen.findByRole("button", { name: "Edit Shop mailbox" }));
    const form = screen.getByRole("form", { name: "Edit Shop mailbox" });
    expect(within(form).getByLabelText("Mailgun signing key")).toHaveValue("");
    expect(within(form).getByText("Set. Type a new one to replace it; leave blank to keep it.")).toBeInTheDocument();
    await userEvent.click(within(form).getByRole("button", { name: "Save channel" }));
    expect(await screen.findByText("Saved Shop mailbox.")).toBeInTheDocument();
    expect((api.find("PATCH", "/api/v1/channels/ch-1")[0].body as { secrets: object }).secrets).toEqual({});

    await userEvent.click(screen.getByRole("button", { name: "Edit Shop mailbox" }));
    const again = screen.getByRole("form", { name: "Edit Shop mailbox" });
    await userEvent.type(within(again).getByLabelText("Mailgun signing key"), "rotated-key");
    await userEvent.click(within(again).getByLabelText("Send replies through an SMTP server"));
    await userEvent.type(within(again).getByLabelText("SMTP host"), "127.0.0.1");
    await userEvent.type(within(again).getByLabelText("SMTP port"), "2525");
    await userEvent.selectOptions(within(again).getByLabelText("Security"), "none");
    await userEvent.click(within(again).getByRole("button", { name: "Save channel" }));
    await waitFor(() => expect(api.find("PATCH", "/api/v1/channels/ch-1")).toHaveLength(2));
    expect(api.find("PATCH", "/api/v1/channels/ch-1")[1].body).toMatchObject({
      secrets: { signing_key: "rotated-key" },
      settings: { smtp: { host: "127.0.0.1", port: 2525, username: null, security: "none" } },
    });
    expect(await screen.findByText("127.0.0.1:2525")).toBeInTheDocument();
  });

  it("shows the server's refusal of a channel in words", async () => {
    channelsApi({
      "PATCH /api/v1/channels/ch-1": () => problem(422, "Invalid input", undefined, { errors: [{ field: "settings.address", message: "not a valid email" }] }),
    });
    await signIn();
    renderApp("/settings/channels");
    await userEvent.click(await screen.findByRole("button", { name: "Edit Shop mailbox" }));
    await userEvent.click(screen.getByRole("button", { name: "Save channel" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Address: not a valid email");
  });

  it("is for admins only: a rep is told so and never asks for the channels", async () => {
    const api = installFakeApi({ ...baseRoutes });
    await signIn();
    renderApp("/settings/channels");
    expect(await screen.findByText("Only admins can change settings.")).toBeInTheDocument();
    expect(api.find("GET", "/api/v1/channels")).toHaveLength(0);
    expect(within(screen.getByRole("navigation", { name: "Main" })).queryByRole("link", { name: "Settings" })).not.toBeInTheDocument();
  });
});
