import { z } from "zod";
import type { IntentRule, Policy, PolicyUpdate } from "./types";

const percent = z.number({ message: "Enter a number from 0 to 100." }).min(0, "At least 0.").max(100, "At most 100.");

export const policySchema = z.object({
  mode: z.enum(["live", "shadow", "off"]),
  provider: z.enum(["local", "openai"]),
  auto_send: percent,
  approval: percent,
  daily_cap: z.number({ message: "Enter a whole number." }).int("A whole number.").min(0, "At least 0.").max(1000, "At most 1,000."),
  max_lag_minutes: z.number({ message: "Enter a number of minutes." }).min(1 / 60, "At least a second.").max(30 * 24 * 60, "At most 30 days."),
  retrain_after: z.number({ message: "Enter a whole number." }).int("A whole number.").min(1, "At least 1.").max(100_000, "At most 100,000."),
  signature: z.string().trim().min(1, "A signature is needed.").max(200, "At most 200 characters."),
  quiet_on: z.boolean(),
  quiet_start: z.string(),
  quiet_end: z.string(),
  quiet_timezone: z.string(),
  rules: z.record(z.string(), z.enum(["auto", "approval_only", "never_reply"])),
}).superRefine((v, ctx) => {
  if (v.approval > v.auto_send) ctx.addIssue({ code: "custom", path: ["approval"], message: "Must not be above the auto-send threshold." });
  if (v.quiet_on && (!v.quiet_start || !v.quiet_end)) ctx.addIssue({ code: "custom", path: ["quiet_start"], message: "Give a start and an end." });
  if (v.quiet_on && !v.quiet_timezone.trim()) ctx.addIssue({ code: "custom", path: ["quiet_timezone"], message: "Give a time zone, like Europe/Berlin." });
});

export type PolicyValues = z.infer<typeof policySchema>;

// Thresholds are shares (0.9) in the API and percentages (90) on screen; round away float noise.
const toPercent = (share: number) => Math.round(share * 1000) / 10;
const toShare = (pct: number) => Math.round(pct * 10) / 1000;

export function valuesFromPolicy(p: Policy): PolicyValues {
  return {
    mode: p.mode, provider: p.provider, auto_send: toPercent(p.auto_send_threshold), approval: toPercent(p.approval_threshold),
    daily_cap: p.daily_auto_replies_per_contact, max_lag_minutes: p.max_catalog_lag_seconds / 60, signature: p.signature,
    retrain_after: p.retrain_after_reviews ?? 50,
    quiet_on: Boolean(p.quiet_hours), quiet_start: p.quiet_hours?.start.slice(0, 5) ?? "22:00",
    quiet_end: p.quiet_hours?.end.slice(0, 5) ?? "07:00", quiet_timezone: p.quiet_hours?.timezone ?? "UTC",
    rules: { ...(p.intent_rules ?? {}) } as Record<string, IntentRule>,
  };
}

/** Only what changed goes in the PATCH, so two admins editing different settings do not undo each other. */
export function policyChanges(before: Policy, v: PolicyValues): PolicyUpdate {
  const after: PolicyUpdate = {
    mode: v.mode, provider: v.provider, auto_send_threshold: toShare(v.auto_send), approval_threshold: toShare(v.approval),
    daily_auto_replies_per_contact: v.daily_cap, max_catalog_lag_seconds: Math.round(v.max_lag_minutes * 60),
    signature: v.signature.trim(), retrain_after_reviews: v.retrain_after,
    quiet_hours: v.quiet_on ? { start: v.quiet_start, end: v.quiet_end, timezone: v.quiet_timezone.trim() } : null,
  };
  const changes: PolicyUpdate = {};
  for (const [key, value] of Object.entries(after) as [keyof PolicyUpdate, unknown][]) {
    const old = (before as Record<string, unknown>)[key];
    const same = key === "quiet_hours"
      ? JSON.stringify(value && { ...(value as object), start: (value as { start: string }).start.slice(0, 5), end: (value as { end: string }).end.slice(0, 5) })
        === JSON.stringify(old && { ...(old as object), start: (old as { start: string }).start.slice(0, 5), end: (old as { end: string }).end.slice(0, 5) })
      : value === old;
    if (!same) (changes as Record<string, unknown>)[key] = value;
  }
  const rules = Object.fromEntries(Object.entries(v.rules).filter(([intent, rule]) => before.intent_rules?.[intent] !== rule));
  if (Object.keys(rules).length) changes.intent_rules = rules;
  return changes;
}
