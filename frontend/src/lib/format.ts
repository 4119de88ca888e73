/** Money arrives as decimal strings ("1250.00") with an ISO currency; never parse to float for sums. */
export function formatMoney(amount: string | number | null | undefined, currency = "EUR"): string {
  const value = typeof amount === "string" ? Number(amount) : (amount ?? 0);
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency, maximumFractionDigits: 0 }).format(value);
  } catch {
    return `${value} ${currency}`;
  }
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric" }).format(date);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  }).format(new Date(iso));
}

export function fullName(person: { first_name?: string | null; last_name?: string | null }): string {
  return [person.first_name, person.last_name].filter(Boolean).join(" ") || "Unnamed";
}

/** "1 message", "3 messages", "1 call, meeting or note": the count with the word that fits it.
 * Irregular or multi-word plurals are passed whole. The API builds its texts with the same rule (core/wording.py). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** A model's confidence as a percentage, rounded down to one decimal ("89.9%", "95%"), so it never reads as
 * reaching a threshold it missed: 0.8990 is below the 0.90 auto-send limit and must not show as "90%". */
export function formatConfidence(confidence: number): string {
  const tenths = Math.floor(Math.round(confidence * 100_000) / 100) / 10;
  return `${Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1)}%`;
}
