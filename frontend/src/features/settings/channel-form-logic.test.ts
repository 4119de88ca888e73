import { describe, expect, it } from "vitest";
import { channelSchema, imapPortForTls, missingSecret, secretsFrom, settingsFrom, valuesFromChannel, webhookUrl } from "./channel-form-logic";
import type { Channel } from "./types";

const channel = (settings: Record<string, unknown>, extra: Partial<Channel> = {}): Channel => ({
  id: "ch-1", kind: "email", name: "Shop mailbox", enabled: true, settings, secrets_set: [], default_owner_id: null,
  webhook_path: "/webhook/email/ch-1", created_at: "2026-12-01T09:00:00Z", updated_at: "2026-12-01T09:00:00Z", ...extra,
});

describe("the channel form's payload", () => {
  it("sends IMAP and SMTP settings as the API nests them, and null for what is switched off", () => {
    const values = {
      ...valuesFromChannel(), name: "Support", address: "help@shop.example", inbound: "imap" as const,
      imap_host: "imap.shop.example", imap_port: "993", imap_username: "help", smtp_on: false,
    };
    expect(settingsFrom(values)).toEqual({
      address: "help@shop.example", inbound: "imap", basic_auth_user: null,
      imap: { host: "imap.shop.example", port: 993, username: "help", tls: true, folder: "INBOX" }, smtp: null,
    });
  });

  it("sends only the secrets typed in: blank keeps the stored one", () => {
    const values = { ...valuesFromChannel(), signing_key: "", smtp_password: "new-pass" };
    expect(secretsFrom(values)).toEqual({ smtp_password: "new-pass" });
  });

  it("asks for the secret the inbound way needs unless it is stored already", () => {
    const values = { ...valuesFromChannel(), inbound: "mailgun" as const };
    expect(missingSecret(values, [])).toBe("signing_key");
    expect(missingSecret(values, ["signing_key"])).toBeNull();
    expect(missingSecret({ ...values, signing_key: "k" }, [])).toBeNull();
    expect(missingSecret({ ...values, inbound: "postmark" }, ["signing_key"])).toBe("basic_auth_password");
  });

  it("loads an existing channel back into the form, secrets blank", () => {
    const values = valuesFromChannel(channel({
      address: "a@shop.example", inbound: "mailgun", smtp: { host: "smtp.shop.example", port: 587, username: null, security: "starttls" },
    }, { secrets_set: ["signing_key"] }));
    expect(values).toMatchObject({ address: "a@shop.example", smtp_on: true, smtp_host: "smtp.shop.example", smtp_port: "587", signing_key: "" });
  });
});

describe("validation", () => {
  it("names what IMAP, Postmark and SMTP each still need", () => {
    const base = { ...valuesFromChannel(), name: "X", address: "x@shop.example" };
    const imap = channelSchema.safeParse({ ...base, inbound: "imap" });
    expect(imap.success).toBe(false);
    expect(imap.error?.issues.map((i) => i.path[0])).toEqual(["imap_host", "imap_username"]);  // the port starts at 993
    const noPort = channelSchema.safeParse({ ...base, inbound: "imap", imap_port: "" });
    expect(noPort.error?.issues.map((i) => i.path[0])).toEqual(["imap_host", "imap_port", "imap_username"]);
    const postmark = channelSchema.safeParse({ ...base, inbound: "postmark" });
    expect(postmark.error?.issues.map((i) => i.path[0])).toEqual(["basic_auth_user"]);
    const smtp = channelSchema.safeParse({ ...base, smtp_on: true, smtp_port: "99999" });
    expect(smtp.error?.issues.map((i) => i.path[0]).sort()).toEqual(["smtp_host", "smtp_port"]);
    expect(channelSchema.safeParse(base).success).toBe(true);
  });
});

describe("the webhook URL", () => {
  it("is absolute on this server's origin", () => {
    expect(webhookUrl(channel({ inbound: "mailgun" }), "https://crm.shop.example")).toBe("https://crm.shop.example/webhook/email/ch-1");
  });

  it("carries the basic-auth user for Postmark and SendGrid, with a placeholder for the password", () => {
    expect(webhookUrl(channel({ inbound: "postmark", basic_auth_user: "pm" }), "https://crm.shop.example"))
      .toBe("https://pm:PASSWORD@crm.shop.example/webhook/email/ch-1");
  });

  it("does not exist for a polled IMAP channel", () => {
    expect(webhookUrl(channel({ inbound: "imap" }, { webhook_path: null }), "https://crm.shop.example")).toBeNull();
  });
});

describe("the IMAP port", () => {
  it("starts at 993 with TLS for a new mailbox and follows the TLS box while it is a standard port", () => {
    expect(valuesFromChannel()).toMatchObject({ imap_port: "993", imap_tls: true });
    expect([imapPortForTls("993", false), imapPortForTls("143", true), imapPortForTls("1993", false)]).toEqual(["143", "993", "1993"]);
  });
});
