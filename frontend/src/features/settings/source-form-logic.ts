/** Catalogue sources: form values <-> the API's create and update bodies, and the webhook secrets. */
import { z } from "zod";
import type { CatalogSource, SourceCreate, SourceKind, SourceUpdate } from "./source-types";

export const SOURCE_KIND_LABELS: Record<SourceKind, string> = {
  standard: "Standard Webhooks (our JSON shape)",
  shopify: "Shopify",
  woocommerce: "WooCommerce",
  feed: "JSON feed (polled; Standard Webhooks for pushes)",
};

/** Kinds whose webhooks are Standard Webhooks signed: the secret is ours to make (`whsec_` + base64). */
export const makesOwnSecret = (kind: SourceKind) => kind === "standard" || kind === "feed";

/** Kinds the server can poll (the others only take webhooks). */
export const POLLABLE: SourceKind[] = ["shopify", "woocommerce", "feed"];

export const SECRET_HINTS: Record<SourceKind, string> = {
  standard: "A whsec_ secret: generate one here and give it to the shop's webhook sender.",
  feed: "A whsec_ secret: generate one here and give it to the feed's webhook sender.",
  shopify: "The app's client secret from Shopify (it signs the webhooks).",
  woocommerce: "The secret typed into WooCommerce › Settings › Advanced › Webhooks.",
};

export const CREDENTIAL_HINTS: Record<SourceKind, string> = {
  standard: "",
  feed: "A bearer token, if the feed asks for one.",
  shopify: "An Admin API access token (shpat_…) with read_products.",
  woocommerce: "The REST API consumer key and secret as ck_…:cs_…",
};

const url = z.union([z.literal(""), z.string().trim().url("Enter the full address, starting with https://").max(2000)]);

export const sourceSchema = z
  .object({
    name: z.string().trim().min(1, "Give the source a name.").max(120),
    kind: z.enum(["standard", "shopify", "woocommerce", "feed"]),
    currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, "Three letters, e.g. EUR."),
    enabled: z.boolean(),
    webhook_secret: z.string().max(500),
    poll_url: url,
    poll_credentials: z.string().max(2000),
    poll_interval_minutes: z.number({ error: "Enter minutes." }).min(0.5, "At least half a minute.").max(1440, "At most a day (1440)."),
  })
  .superRefine((v, ctx) => {
    const need = (path: keyof typeof v, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (v.webhook_secret) {
      if (v.webhook_secret.length < 8) need("webhook_secret", "At least 8 characters.");
      else if (makesOwnSecret(v.kind) && !v.webhook_secret.startsWith("whsec_")) need("webhook_secret", "Standard Webhooks secrets start with whsec_: use Generate.");
    }
    if (v.poll_url && !POLLABLE.includes(v.kind)) need("poll_url", `${SOURCE_KIND_LABELS[v.kind]} sources are not polled: leave this empty.`);
  });

export type SourceValues = z.infer<typeof sourceSchema>;

export function valuesFromSource(source?: CatalogSource): SourceValues {
  return {
    name: source?.name ?? "", kind: source?.kind ?? "standard", currency: source?.currency ?? "EUR", enabled: source?.enabled ?? true,
    webhook_secret: "", poll_url: source?.poll_url ?? "", poll_credentials: "",
    poll_interval_minutes: (source?.poll_interval_seconds ?? 300) / 60,
  };
}

const seconds = (minutes: number) => Math.round(minutes * 60);

export function createBody(v: SourceValues): SourceCreate {
  return {
    name: v.name.trim(), kind: v.kind, currency: v.currency, enabled: v.enabled, poll_interval_seconds: seconds(v.poll_interval_minutes),
    webhook_secret: v.webhook_secret || null, poll_url: v.poll_url.trim() || null, poll_credentials: v.poll_credentials || null,
  };
}

/**
 * Only what changed: a blank credentials field keeps the stored ones (they are never shown), and
 * an emptied poll URL is sent as null, which stops polling. The secret rotates elsewhere.
 */
export function updateBody(source: CatalogSource, v: SourceValues): SourceUpdate {
  const body: SourceUpdate = {};
  if (v.name.trim() !== source.name) body.name = v.name.trim();
  if (v.currency !== source.currency) body.currency = v.currency;
  if (v.enabled !== source.enabled) body.enabled = v.enabled;
  if (seconds(v.poll_interval_minutes) !== source.poll_interval_seconds) body.poll_interval_seconds = seconds(v.poll_interval_minutes);
  if ((v.poll_url.trim() || null) !== (source.poll_url || null)) body.poll_url = v.poll_url.trim() || null;
  if (v.poll_credentials) body.poll_credentials = v.poll_credentials;
  return body;
}

/** A fresh Standard Webhooks secret: `whsec_` and 32 random bytes in base64, made in the browser. */
export function generateSecret(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

/** Absolute webhook address for the shop. */
export function sourceWebhookUrl(source: Pick<CatalogSource, "webhook_path">, origin: string): string {
  return new URL(source.webhook_path, origin).toString();
}

/** Whether the secret before the last rotation still verifies deliveries, at `now`. */
export function previousSecretValid(source: Pick<CatalogSource, "previous_secret_expires_at">, now: number = Date.now()): boolean {
  return Boolean(source.previous_secret_expires_at) && Date.parse(source.previous_secret_expires_at as string) > now;
}

/** The server's field errors (problem+json `errors`) that belong to a field of this form. */
export function serverFieldErrors(errors: { field: string; message: string }[] | undefined): Partial<Record<keyof SourceValues, string>> {
  const out: Partial<Record<keyof SourceValues, string>> = {};
  const known: (keyof SourceValues)[] = ["name", "kind", "currency", "enabled", "webhook_secret", "poll_url", "poll_credentials"];
  for (const e of errors ?? []) {
    const field = e.field.split(".").pop() as keyof SourceValues;
    if (known.includes(field)) out[field] = e.message;
    else if (field === ("poll_interval_seconds" as keyof SourceValues)) out.poll_interval_minutes = e.message;
  }
  return out;
}
