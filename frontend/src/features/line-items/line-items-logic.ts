/**
 * Money for line items, in exact decimal arithmetic: prices arrive as strings ("18.00") and a
 * float sum would drift by cents. Mirrors the API's rounding (half up, to the cent) so the
 * preview while typing is the total the server will store.
 */

const MONEY = /^\d{1,12}(\.\d{1,2})?$/;
const PERCENT = /^\d{1,3}(\.\d{1,2})?$/;

/** "18.5" -> 1850n (cents); null when it is not an amount. */
export function toCents(text: string): bigint | null {
  const t = text.trim();
  if (!MONEY.test(t)) return null;
  const [whole, fraction = ""] = t.split(".");
  return BigInt(whole) * 100n + BigInt((fraction + "00").slice(0, 2));
}

/** 1850n -> "18.50" */
export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

/** quantity x unit price x (1 - discount/100), half up to the cent; null when an input is not valid. */
export function lineTotal(quantity: string, unitPrice: string, discountPercent: string): string | null {
  const q = quantity.trim();
  if (!/^\d{1,7}$/.test(q) || Number(q) < 1) return null;
  const cents = toCents(unitPrice);
  const d = discountPercent.trim() || "0";
  if (cents === null || !PERCENT.test(d) || Number(d) > 100) return null;
  const [whole, fraction = ""] = d.split(".");
  const basis = BigInt(whole) * 100n + BigInt((fraction + "00").slice(0, 2)); // hundredths of a percent
  const numerator = BigInt(q) * cents * (10000n - basis);
  const total = (numerator * 2n + 10000n) / 20000n; // half up
  return fromCents(total);
}

/** Errors for the three editable numbers, in the words a rep needs. */
export function itemErrors(v: { quantity: string; unit_price: string; discount_percent: string }): Partial<Record<"quantity" | "unit_price" | "discount_percent", string>> {
  const errors: Partial<Record<"quantity" | "unit_price" | "discount_percent", string>> = {};
  if (!/^\d{1,7}$/.test(v.quantity.trim()) || Number(v.quantity) < 1 || Number(v.quantity) > 1_000_000) errors.quantity = "A whole number from 1.";
  if (v.unit_price.trim() !== "" && toCents(v.unit_price) === null) errors.unit_price = "An amount like 18 or 18.50.";
  const d = v.discount_percent.trim() || "0";
  if (!PERCENT.test(d) || Number(d) > 100) errors.discount_percent = "A percentage from 0 to 100.";
  return errors;
}

/** Prices to the cent ("€18.50"): a line item's cents matter, unlike a deal's round amount. */
export function formatPrice(amount: string | number, currency: string): string {
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}
