/** WhatsApp, Messenger and Lead Ads channels: flat form values <-> the API's settings and write-only secrets. */
import { z } from "zod";
import type { Channel, MetaKind } from "./types";

const metaId = z.string().trim().regex(/^\d{1,64}$/, "Meta's numeric id, digits only.");
const optionalId = z.union([z.literal(""), metaId]);

export const META_SECRETS = ["app_secret", "access_token", "verify_token"] as const;
export type MetaSecret = (typeof META_SECRETS)[number];

export const metaChannelSchema = z
  .object({
    kind: z.enum(["whatsapp", "messenger", "lead_ads"]),
    name: z.string().trim().min(1, "Give the channel a name.").max(120),
    enabled: z.boolean(),
    phone_number_id: optionalId,
    business_account_id: optionalId,
    display_phone_number: z.string().trim().max(32),
    page_id: optionalId,
    pipeline_id: z.string(),
    stage_id: z.string(),
    owner_id: z.string(),
    graph_base_url: z.string().trim().max(300),
    app_secret: z.string().max(500),
    access_token: z.string().max(2000),
    verify_token: z.string().max(500),
  })
  .superRefine((v, ctx) => {
    const need = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (v.kind === "whatsapp") {
      if (!v.phone_number_id) need("phone_number_id", "WhatsApp needs the phone number id from Meta's API setup.");
      if (!v.display_phone_number) need("display_phone_number", "Give the number customers write to, e.g. +49 30 1234567.");
    } else if (!v.page_id) {
      need("page_id", "Give the Facebook page's id.");
    }
    if (v.kind === "lead_ads" && (!v.pipeline_id || !v.stage_id)) need("stage_id", "Choose where the deals of new leads go.");
    if (v.graph_base_url && !/^https?:\/\/\S+[^/\s]$/.test(v.graph_base_url)) need("graph_base_url", "A URL like https://graph.facebook.com/v21.0 (no trailing slash).");
  });

export type MetaChannelValues = z.infer<typeof metaChannelSchema>;

interface MetaSettings {
  phone_number_id?: string; business_account_id?: string; display_phone_number?: string; page_id?: string; pipeline_id?: string; stage_id?: string;
  owner_id?: string | null; graph_base_url?: string;
}

export function metaValuesFromChannel(kind: MetaKind, channel?: Channel): MetaChannelValues {
  const s = (channel?.settings ?? {}) as MetaSettings;
  return {
    kind, name: channel?.name ?? "", enabled: channel?.enabled ?? true,
    phone_number_id: s.phone_number_id ?? "", business_account_id: s.business_account_id ?? "", display_phone_number: s.display_phone_number ?? "", page_id: s.page_id ?? "",
    pipeline_id: s.pipeline_id ?? "", stage_id: s.stage_id ?? "", owner_id: s.owner_id ?? "", graph_base_url: s.graph_base_url ?? "",
    app_secret: "", access_token: "", verify_token: "",
  };
}

/** The kind's settings as the API validates them (unknown keys are refused, so only the kind's own). */
export function metaSettingsFrom(v: MetaChannelValues): Record<string, unknown> {
  const base = v.graph_base_url ? { graph_base_url: v.graph_base_url } : {};
  if (v.kind === "whatsapp") {
    // The WABA id is optional (it lists the approved templates); null removes one that was set.
    return { phone_number_id: v.phone_number_id, display_phone_number: v.display_phone_number,
      business_account_id: v.business_account_id || null, ...base };
  }
  if (v.kind === "messenger") return { page_id: v.page_id, ...base };
  return { page_id: v.page_id, pipeline_id: v.pipeline_id, stage_id: v.stage_id, owner_id: v.owner_id || null, ...base };
}

/** Only the secrets typed in: a blank field keeps the stored one. */
export function metaSecretsFrom(v: MetaChannelValues): Partial<Record<MetaSecret, string>> {
  const out: Partial<Record<MetaSecret, string>> = {};
  for (const key of META_SECRETS) if (v[key]) out[key] = v[key];
  return out;
}

/** All three secrets are needed: the first neither stored nor typed in. */
export function missingMetaSecret(v: MetaChannelValues, secretsSet: string[]): MetaSecret | null {
  return META_SECRETS.find((key) => !v[key] && !secretsSet.includes(key)) ?? null;
}
