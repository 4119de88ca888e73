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

export type MetaKind = "whatsapp" | "messenger" | "lead_ads";
export const META_KINDS: MetaKind[] = ["whatsapp", "messenger", "lead_ads"];

export const KIND_LABELS: Record<string, string> = {
  email: "Email",
  whatsapp: "WhatsApp (Cloud API)",
  messenger: "Facebook Messenger",
  lead_ads: "Facebook Lead Ads",
};

export const META_SECRET_LABELS: Record<string, string> = {
  app_secret: "App secret",
  access_token: "Access token",
  verify_token: "Verify token",
};

export const isMetaKind = (kind: string): kind is MetaKind => (META_KINDS as string[]).includes(kind);
