import type { components } from "@/lib/api/schema";

export type MessageTemplate = components["schemas"]["MessageTemplateRead"];
export type TemplateReply = components["schemas"]["TemplateReply"];

/** What the rep has typed, each value under the API field it is sent as (see `templateFields`). */
export type TemplateValues = Record<string, string>;

/** One input the chosen template needs. `key` is the API's name for it in a 422's `errors[].field`. */
export interface TemplateField {
  key: string;
  label: string;
  hint?: string;
  example?: string;
  maxLength: number;
  kind: "text" | "link" | "filename" | "url-end";
}

// Meta's limits (channel/template_fill.py checks them again): header parameter 60, body parameter 1,024 when the
// template has other parts (32,768 alone), a URL button's address 2,000, a document's filename (ours) 240.
const HEADER_LIMIT = 60;
const URL_LIMIT = 2000;
const MEDIA_WORDS: Record<string, string> = { IMAGE: "Image", VIDEO: "Video", DOCUMENT: "Document" };
const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

const bodyAlone = (t: MessageTemplate) => !t.header && !t.footer && t.buttons.length === 0;
/** URL buttons whose address ends in {{1}}, in the order they are sent. */
const variableButtons = (t: MessageTemplate) => t.buttons.filter((b) => b.type === "URL" && b.parameter);

function bodyKey(t: MessageTemplate, name: string, position: number): string {
  return t.parameter_format === "NAMED" ? `template.named_parameters.${name}` : `template.parameters.${position}`;
}

/** Exactly the fields this template asks for: its header's, the body's parameters (by number or name), URL ends. */
export function templateFields(t: MessageTemplate): TemplateField[] {
  const fields: TemplateField[] = [];
  const header = t.header;
  if (header?.format === "TEXT" && header.parameter) {
    fields.push({ key: "template.header_text", label: `Header {{${header.parameter.name}}}`, hint: header.text ?? undefined,
      example: header.parameter.example ?? undefined, maxLength: HEADER_LIMIT, kind: "text" });
  } else if (header && header.format !== "TEXT") {
    fields.push({ key: "template.header_media.link", label: `${MEDIA_WORDS[header.format]} link`, kind: "link",
      hint: "A public https:// address: WhatsApp downloads the file from it.", maxLength: URL_LIMIT });
    if (header.format === "DOCUMENT") {
      fields.push({ key: "template.header_media.filename", label: "File name the customer sees", kind: "filename",
        example: "Invoice.pdf", maxLength: 240 });
    }
  }
  const bodyLimit = bodyAlone(t) ? 32768 : 1024;
  t.body_parameters.forEach((p, i) => {
    fields.push({ key: bodyKey(t, p.name, i), label: `{{${p.name}}}`, example: p.example ?? undefined, maxLength: bodyLimit, kind: "text" });
  });
  variableButtons(t).forEach((b, n) => {
    const start = (b.url ?? "").replace("{{1}}", "");
    fields.push({ key: `template.buttons.${n}.text`, label: `End of the “${b.text}” link`, hint: `${start}…`,
      example: b.parameter?.example ?? undefined, maxLength: URL_LIMIT - start.length, kind: "url-end" });
  });
  return fields;
}

/** The field a 422's `errors[].field` is about ("template.buttons.0.index" is the first URL end's). */
export function fieldForError(fields: TemplateField[], apiField: string): string | undefined {
  const exact = fields.find((f) => f.key === apiField);
  if (exact) return exact.key;
  if (apiField === "template.header_media") return fields.find((f) => f.kind === "link")?.key;
  if (apiField === "template.buttons") return fields.find((f) => f.kind === "url-end")?.key;
  const button = /^template\.buttons\.(\d+)\./.exec(apiField);
  return button ? fields.find((f) => f.key === `template.buttons.${button[1]}.text`)?.key : undefined;
}

/** Why Send stays off, for the first field that needs something; null when every field has a value to send. */
export function missingValue(fields: TemplateField[], values: TemplateValues): string | null {
  for (const f of fields) {
    const value = (values[f.key] ?? "").trim();
    if (!value) return `Fill in ${f.label}.`;
    if (f.kind === "link" && !/^https:\/\/[^/\s]+/i.test(value)) return `${f.label}: a public https:// address.`;
  }
  return null;
}

const fill = (text: string, values: Record<string, string>) =>
  text.replace(PLACEHOLDER, (whole, name: string) => values[name] || whole);

function bodyValues(t: MessageTemplate, values: TemplateValues): Record<string, string> {
  return Object.fromEntries(t.body_parameters.map((p, i) => [p.name, values[bodyKey(t, p.name, i)] ?? ""]));
}

function headerLine(t: MessageTemplate, values: TemplateValues): string | null {
  const header = t.header;
  if (!header) return null;
  if (header.format === "TEXT") {
    return header.parameter ? fill(header.text ?? "", { [header.parameter.name]: values["template.header_text"] ?? "" }) : header.text;
  }
  const kind = header.format.toLowerCase();
  const link = values["template.header_media.link"] || "(link)";
  const filename = values["template.header_media.filename"];
  return header.format === "DOCUMENT" ? `[${kind}: ${filename || "(file name)"}] ${link}` : `[${kind}] ${link}`;
}

/** What the customer will read, laid out as the thread stores it (inbox keeps the same text): header, body, footer, buttons. */
export function templatePreview(t: MessageTemplate, values: TemplateValues): string {
  const ends = variableButtons(t);
  const buttons = t.buttons.map((b) => {
    if (b.type === "URL" && b.url) {
      const n = ends.indexOf(b);
      return `[${b.text}] ${n < 0 ? b.url : fill(b.url, { 1: values[`template.buttons.${n}.text`] ?? "" })}`;
    }
    return b.type === "PHONE_NUMBER" && b.phone_number ? `[${b.text}] ${b.phone_number}` : `[${b.text}]`;
  });
  const parts = [headerLine(t, values), fill(t.body, bodyValues(t, values)), t.footer, buttons.join("\n")];
  return parts.filter(Boolean).join("\n\n");
}

/** The reply's `template`: only the fields this template takes. */
export function templateReply(t: MessageTemplate, values: TemplateValues): TemplateReply {
  const reply: TemplateReply = { name: t.name, language: t.language };
  const body = bodyValues(t, values);
  if (t.parameter_format === "NAMED") {
    if (t.body_parameters.length) reply.named_parameters = body;
  } else {
    reply.parameters = t.body_parameters.map((p) => body[p.name]);
  }
  if (t.header?.format === "TEXT" && t.header.parameter) reply.header_text = values["template.header_text"];
  if (t.header && t.header.format !== "TEXT") {
    const media: components["schemas"]["TemplateMedia"] = { link: values["template.header_media.link"] ?? "" };
    if (t.header.format === "DOCUMENT") media.filename = values["template.header_media.filename"];
    reply.header_media = media;
  }
  const ends = variableButtons(t);
  if (ends.length) reply.buttons = ends.map((b, n) => ({ index: b.index, text: values[`template.buttons.${n}.text`] ?? "" }));
  return reply;
}
