import type { components } from "@/lib/api/schema";

export type Channel = components["schemas"]["ChannelRead"];
export type ChannelCreate = components["schemas"]["ChannelCreate"];
export type ChannelUpdate = components["schemas"]["ChannelUpdate"];
export type ChannelHealth = components["schemas"]["ChannelHealth"];

export type Inbound = "mailgun" | "postmark" | "sendgrid" | "imap";

export const INBOUND_LABELS: Record<Inbound, string> = {
  mailgun: "Mailgun (webhook)",
  postmark: "Postmark (webhook)",
  sendgrid: "SendGrid Inbound Parse (webhook)",
  imap: "IMAP mailbox (polled)",
};

export const SECRET_LABELS: Record<string, string> = {
  signing_key: "Mailgun signing key",
  basic_auth_password: "Webhook password",
  imap_password: "IMAP password",
  smtp_password: "SMTP password",
};
