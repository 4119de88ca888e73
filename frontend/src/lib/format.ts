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

// Country calling codes of one and two digits; every other code has three (ITU E.164 assignments).
const ONE_DIGIT_CODES = new Set(["1", "7"]);
const TWO_DIGIT_CODES = new Set([
  "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
  "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84",
  "86", "90", "91", "92", "93", "94", "95", "98",
]);

/** An international number ("447700900123", "+4915112345678") grouped for reading: "+44 7700 900123",
 * "+49 1511 2345678", "+1 415 555 0100". Simple grouping (country code, four digits, the rest), not each
 * country's own plan; anything that is not 8 to 15 digits is returned as it came. */
export function formatPhone(raw: string): string {
  const digits = raw.replace(/^\+/, "").replace(/[\s-]/g, "");
  if (!/^\d{8,15}$/.test(digits)) return raw;
  const codeLength = ONE_DIGIT_CODES.has(digits[0]) ? 1 : TWO_DIGIT_CODES.has(digits.slice(0, 2)) ? 2 : 3;
  const code = digits.slice(0, codeLength);
  const national = digits.slice(codeLength);
  if (code === "1" && national.length === 10) return `+1 ${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}`;
  return national.length > 6 ? `+${code} ${national.slice(0, 4)} ${national.slice(4)}` : `+${code} ${national}`;
}
