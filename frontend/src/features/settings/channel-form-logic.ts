/** The email channel form: flat form values <-> the API's nested settings and write-only secrets. */
import { z } from "zod";
import type { Channel, Inbound } from "./types";

const port = z.string().trim().regex(/^\d{1,5}$/, "Enter a port number.").refine((v) => Number(v) >= 1 && Number(v) <= 65535, "Enter a port from 1 to 65535.");
const optionalPort = z.union([z.literal(""), port]);

export const channelSchema = z
  .object({
    name: z.string().trim().min(1, "Give the channel a name.").max(120),
    enabled: z.boolean(),
    address: z.string().trim().email("Enter the shop's email address."),
    inbound: z.enum(["mailgun", "postmark", "sendgrid", "imap"]),
    basic_auth_user: z.string().trim().max(200),
    imap_host: z.string().trim().max(253),
    imap_port: optionalPort,
    imap_username: z.string().trim().max(320),
    imap_tls: z.boolean(),
    imap_folder: z.string().trim().max(200),
    smtp_on: z.boolean(),
    smtp_host: z.string().trim().max(253),
    smtp_port: optionalPort,
    smtp_username: z.string().trim().max(320),
    smtp_security: z.enum(["starttls", "tls", "none"]),
    signing_key: z.string().max(500),
    basic_auth_password: z.string().max(500),
    imap_password: z.string().max(500),
    smtp_password: z.string().max(500),
  })
  .superRefine((v, ctx) => {
    const need = (path: keyof typeof v, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (v.inbound === "imap") {
      if (!v.imap_host) need("imap_host", "IMAP needs the server's host name.");
      if (!v.imap_port) need("imap_port", "IMAP needs a port (993 with TLS).");
      if (!v.imap_username) need("imap_username", "IMAP needs the mailbox user name.");
    }
    if ((v.inbound === "postmark" || v.inbound === "sendgrid") && !v.basic_auth_user) {
      need("basic_auth_user", "Postmark and SendGrid post with a user name in the webhook URL: choose one.");
    }
    if (v.smtp_on && !v.smtp_host) need("smtp_host", "Replies need the outgoing server's host name.");
    if (v.smtp_on && !v.smtp_port) need("smtp_port", "Replies need the outgoing server's port (587 with STARTTLS).");
  });

export type ChannelValues = z.infer<typeof channelSchema>;

export const SECRET_FIELDS = ["signing_key", "basic_auth_password", "imap_password", "smtp_password"] as const;

/** The secret the chosen inbound way cannot work without (as the API requires). */
export const REQUIRED_SECRET: Record<Inbound, (typeof SECRET_FIELDS)[number]> = {
  mailgun: "signing_key", postmark: "basic_auth_password", sendgrid: "basic_auth_password", imap: "imap_password",
};

/** The standard IMAP ports: 993 with TLS from the start, 143 without. */
export const IMAP_PORT = { tls: "993", plain: "143" } as const;

/** The port to show after the TLS box changes: a standard port follows it, a port typed by hand stays. */
export function imapPortForTls(port: string, tls: boolean): string {
  if (tls && port === IMAP_PORT.plain) return IMAP_PORT.tls;
  if (!tls && port === IMAP_PORT.tls) return IMAP_PORT.plain;
  return port;
}

interface ImapSettings { host: string; port: number; username: string; tls?: boolean; folder?: string }
interface SmtpSettings { host: string; port: number; username?: string | null; security?: "starttls" | "tls" | "none" }

export function valuesFromChannel(channel?: Channel): ChannelValues {
  const s = (channel?.settings ?? {}) as { address?: string; inbound?: Inbound; basic_auth_user?: string | null; imap?: ImapSettings | null; smtp?: SmtpSettings | null };
  return {
    name: channel?.name ?? "", enabled: channel?.enabled ?? true, address: s.address ?? "", inbound: s.inbound ?? "mailgun",
    basic_auth_user: s.basic_auth_user ?? "",
    // IMAP is nearly always 993 with TLS: a new mailbox starts there (the TLS box flips it to 143 and back).
    imap_host: s.imap?.host ?? "", imap_port: s.imap?.port ? String(s.imap.port) : IMAP_PORT.tls, imap_username: s.imap?.username ?? "",
    imap_tls: s.imap?.tls ?? true, imap_folder: s.imap?.folder ?? "INBOX",
    smtp_on: Boolean(s.smtp), smtp_host: s.smtp?.host ?? "", smtp_port: s.smtp?.port ? String(s.smtp.port) : "",
    smtp_username: s.smtp?.username ?? "", smtp_security: s.smtp?.security ?? "starttls",
    signing_key: "", basic_auth_password: "", imap_password: "", smtp_password: "",
  };
}

/**
 * The settings as the API takes them. Every key is sent, null for what is off: on an update the
 * server merges key by key and removes a key sent as null, so switching IMAP or SMTP off sticks.
 */
export function settingsFrom(v: ChannelValues): Record<string, unknown> {
  return {
    address: v.address.trim(),
    inbound: v.inbound,
    basic_auth_user: v.inbound === "postmark" || v.inbound === "sendgrid" ? v.basic_auth_user.trim() : null,
    imap: v.inbound === "imap"
      ? { host: v.imap_host.trim(), port: Number(v.imap_port), username: v.imap_username.trim(), tls: v.imap_tls, folder: v.imap_folder.trim() || "INBOX" }
      : null,
    smtp: v.smtp_on
      ? { host: v.smtp_host.trim(), port: Number(v.smtp_port), username: v.smtp_username.trim() || null, security: v.smtp_security }
      : null,
  };
}

/** Only the secrets typed in: a blank field keeps the stored one (secrets are never shown). */
export function secretsFrom(v: ChannelValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of SECRET_FIELDS) if (v[key]) out[key] = v[key];
  return out;
}

/** The secret the inbound way needs, when it is neither stored nor typed in. */
export function missingSecret(v: ChannelValues, secretsSet: string[]): (typeof SECRET_FIELDS)[number] | null {
  const key = REQUIRED_SECRET[v.inbound];
  return v[key] || secretsSet.includes(key) ? null : key;
}

/** The address to paste into the provider; Postmark and SendGrid put the basic-auth user in it. */
export function webhookUrl(channel: Pick<Channel, "webhook_path" | "settings">, origin: string): string | null {
  if (!channel.webhook_path) return null;
  const url = new URL(channel.webhook_path, origin);
  const s = channel.settings as { inbound?: string; basic_auth_user?: string | null };
  if ((s.inbound === "postmark" || s.inbound === "sendgrid") && s.basic_auth_user) {
    url.username = s.basic_auth_user;
    url.password = "PASSWORD";
  }
  return url.toString();
}
