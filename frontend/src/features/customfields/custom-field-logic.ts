/**
 * Custom field values between the API and a form. The API keeps JSON natives (text and select as
 * strings, numbers as numbers, dates as YYYY-MM-DD, booleans); a form keeps strings, with "" for
 * "not set". Only changed keys are sent: the API merges them, and null removes a value.
 */
import { formatDate } from "@/lib/format";
import type { CustomField } from "./types";

export type FormValues = Record<string, string>;

/** The form's starting strings for `values` (booleans as "true"/"false"). */
export function toFormValues(fields: CustomField[], values: Record<string, unknown>): FormValues {
  return Object.fromEntries(fields.map((f) => {
    const value = values[f.key];
    return [f.key, value === undefined || value === null ? "" : String(value)];
  }));
}

/** A value typed in as the API takes it, or an error message the rep can act on. */
export function parseValue(field: CustomField, text: string): { value: unknown } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === "") return field.required ? { error: `${field.label} is required.` } : { value: null };
  switch (field.field_type) {
    case "number": {
      if (!/^-?\d{1,15}(\.\d+)?$/.test(trimmed)) return { error: `${field.label} must be a number, like 12 or 12.5.` };
      return { value: Number(trimmed) };
    }
    case "boolean":
      return { value: trimmed === "true" };
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? { value: trimmed } : { error: `${field.label} must be a date.` };
    case "select":
      return field.options.map(String).includes(trimmed) ? { value: trimmed } : { error: `Choose one of the ${field.label} options.` };
    default:
      return trimmed.length > 2000 ? { error: `${field.label} is at most 2000 characters.` } : { value: trimmed };
  }
}

/** What changed, ready for `custom_fields` in a PATCH; or the errors per field key. */
export function changesFrom(fields: CustomField[], before: FormValues, after: FormValues):
  { changes: Record<string, unknown>; errors: Record<string, string> } {
  const changes: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const text = after[field.key] ?? "";
    if (text.trim() === (before[field.key] ?? "").trim()) continue;
    const parsed = parseValue(field, text);
    if ("error" in parsed) errors[field.key] = parsed.error;
    else changes[field.key] = parsed.value;
  }
  return { changes, errors };
}

/** A stored value for reading: "Yes", "3 Dec 2026", "1,250", or "—" when not set. */
export function displayValue(field: CustomField, value: unknown): string {
  if (value === undefined || value === null || value === "") return "—";
  switch (field.field_type) {
    case "boolean":
      return value === true || value === "true" ? "Yes" : "No";
    case "date":
      return formatDate(String(value));
    case "number":
      return typeof value === "number" ? new Intl.NumberFormat("en-GB").format(value) : String(value);
    default:
      return String(value);
  }
}

/** The API's 422 names a field as `custom_fields.<key>`: the keys it blames, with its message. */
export function serverFieldErrors(errors: { field: string; message: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors ?? []) {
    const match = /^custom_fields\.(.+)$/.exec(e.field);
    if (match) out[match[1]] = e.message;
  }
  return out;
}

/** A definition's key from its label: "Shoe size (EU)" -> "shoe_size_eu", as the API's pattern wants. */
export function keyFromLabel(label: string): string {
  const key = label.replace(/ß/g, "ss").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").replace(/^[^a-z]+/, "");
  return key.slice(0, 64);
}
