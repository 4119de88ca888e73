import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, ME, problem, type Call } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import { templateFields, templatePreview, templateReply, type MessageTemplate } from "./template-logic";
import type { Conversation, Message } from "./types";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (t: number) => new Date(t).toISOString();

// A WhatsApp customer who last wrote three days ago: only an approved template may go out.
const CLOSED: Conversation = {
  id: "cv-wa", channel_id: "ch-wa", contact_id: "c-1", counterpart: "4915112345678", status: "open", assignee_id: null,
  subject: "", is_junk: false, last_message_at: iso(Date.now() - 3 * DAY), last_inbound_at: iso(Date.now() - 3 * DAY),
  unread_count: 0, snoozed_until: null, intent: null, priority: null, created_at: iso(Date.now() - 4 * DAY),
  contact: { id: "c-1", first_name: "Ann", last_name: "Buyer", emails: [], owner_id: null },
  channel_kind: "whatsapp", reply_window_closes_at: iso(Date.now() - 2 * DAY),
  reply_options: { free_text: false, template_required: true, human_agent_tag_until: null },
};

const sentBubble = (call: Call): Message => ({
  id: "m-3", conversation_id: "cv-wa", direction: "outbound", sender: "49301234567", sender_name: "", recipients: { to: ["4915112345678"] },
  subject: "", text: "(as sent)", html: null, own_words: "", provider_message_id: "pending:m-3", in_reply_to: null, references: [],
  is_junk: false, junk_reason: null, status: "queued", failure_reason: null, author_id: "u-rita", occurred_at: iso(Date.now()),
  sent_at: null, attachments: [], classification: null, template: (call.body as { template: never }).template,
});

const plain = { header: null, footer: null, buttons: [], parameter_format: "POSITIONAL" as const };
const HELLO: MessageTemplate = { ...plain, name: "hello_world", language: "en_US", category: "UTILITY",
  body: "Hello, thank you for writing to Lamp & Co.", body_parameters: [], parameter_count: 0 };
const ORDER_SHIPPED: MessageTemplate = { ...plain, name: "order_shipped", language: "en_US", category: "UTILITY",
  header: { format: "TEXT", text: "Your order", parameter: null }, footer: "Lamp & Co",
  buttons: [{ index: 0, type: "QUICK_REPLY", text: "Thanks", url: null, phone_number: null, parameter: null }],
  body: "Hello {{1}}, your order {{2}} is on its way.", parameter_count: 2,
  body_parameters: [{ name: "1", example: "Ann" }, { name: "2", example: "#1042" }] };
// The backend's test fixtures (tests/channel/meta/templates.py) as the API lists them.
const TRACK_ORDER: MessageTemplate = {
  name: "track_order", language: "en_US", category: "UTILITY", parameter_format: "POSITIONAL",
  header: { format: "TEXT", text: "Order {{1}}", parameter: { name: "1", example: "#1042" } },
  body: "Hi {{1}}, your parcel left our workshop today.", body_parameters: [{ name: "1", example: "Ann" }], parameter_count: 1,
  footer: "Lamp & Co",
  buttons: [
    { index: 0, type: "URL", text: "Track parcel", url: "https://lamp.example/track/{{1}}", phone_number: null, parameter: { name: "1", example: "1042-XK" } },
    { index: 1, type: "URL", text: "Our shop", url: "https://lamp.example/", phone_number: null, parameter: null },
    { index: 2, type: "PHONE_NUMBER", text: "Call us", url: null, phone_number: "+49301234567", parameter: null },
  ],
};
const WINTER_SALE: MessageTemplate = {
  name: "winter_sale", language: "en_US", category: "MARKETING", parameter_format: "NAMED",
  header: { format: "TEXT", text: "{{sale_name}} starts now", parameter: { name: "sale_name", example: "Winter sale" } },
  body: "Hello {{first_name}}, use {{code}} at checkout.", parameter_count: 2,
  body_parameters: [{ name: "first_name", example: "Ann" }, { name: "code", example: "WINTER10" }], footer: null, buttons: [],
};
const INVOICE: MessageTemplate = { ...plain, name: "invoice", language: "en_US", category: "UTILITY",
  header: { format: "DOCUMENT", text: null, parameter: null }, body: "Your invoice {{1}} is attached.",
  body_parameters: [{ name: "1", example: "R-77" }], parameter_count: 1 };
const TEMPLATES = { fetched_at: "2026-12-06T03:00:00Z", items: [HELLO, INVOICE, ORDER_SHIPPED, TRACK_ORDER, WINTER_SALE] };

function api(extra: Record<string, (call: Call) => ReturnType<typeof json>> = {}) {
  return installFakeApi({
    ...baseRoutes,
    "GET /api/v1/ai/intents": () => json([]),
    "GET /api/v1/pipelines": () => json([]),
    "GET /api/v1/deals": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/suggestions": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/conversations": () => json({ items: [CLOSED], next_cursor: null }),
    "GET /api/v1/conversations/cv-wa": () => json(CLOSED),
    "GET /api/v1/conversations/cv-wa/messages": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/insights/leads/c-1": () => problem(404, "Not found"),
    "GET /api/v1/contacts/c-1/recommendations": () => json({ items: [] }),
    "GET /api/v1/channels/ch-wa/templates": () => json(TEMPLATES),
    "POST /api/v1/conversations/cv-wa/messages": (call) => json(sentBubble(call), 201),
    ...extra,
  });
}

async function openComposer() {
  await signIn();
  renderApp("/inbox/cv-wa");
  const form = await screen.findByRole("form", { name: "Reply with a template" });
  return { form, send: within(form).getByRole("button", { name: "Send template" }) };
}

async function pick(form: HTMLElement, key: string) {
  await userEvent.selectOptions(await within(form).findByLabelText("Template"), key);
  const fields = within(form).queryByRole("group", { name: "Fill in the template" });
  const region = within(form).getByRole("region", { name: "Preview" });
  const inputs = fields ? within(fields).getAllByRole<HTMLInputElement>("textbox") : [];
  // The bubble alone: its text is exactly what the thread will keep.
  return { preview: region.querySelector<HTMLElement>(".chat-bubble")!, labels: inputs.map((i) => i.labels?.[0]?.textContent) };
}

describe("the template picker", () => {
  it("offers an approved template once the 24-hour window has closed, with a live preview of what the customer reads", async () => {
    const calls = api();
    const { form, send } = await openComposer();
    expect(screen.getByRole("note", { name: "Reply window closed" })).toHaveTextContent(
      "The customer last wrote 3 days ago: WhatsApp only allows an approved template now.");
    expect(screen.queryByLabelText(/^Reply to/)).not.toBeInTheDocument();
    expect(send).toBeDisabled();

    const { preview, labels } = await pick(form, "order_shipped|en_US");
    expect(labels).toEqual(["{{1}}", "{{2}}"]);
    expect(preview).toHaveTextContent("Your order Hello {{1}}, your order {{2}} is on its way. Lamp & Co [Thanks]");
    await userEvent.type(within(form).getByLabelText("{{1}}"), "Ann");
    expect(preview).toHaveTextContent("Hello Ann, your order {{2}} is on its way.");
    expect(send).toBeDisabled(); // every parameter is needed
    expect(within(form).getByText("Fill in {{2}}.")).toBeInTheDocument();
    await userEvent.type(within(form).getByLabelText("{{2}}"), "#1042");
    await userEvent.click(send);

    expect(await within(form).findByText("Template queued: its status shows in the thread.")).toBeInTheDocument();
    const [posted] = calls.find("POST", "/api/v1/conversations/cv-wa/messages");
    expect(posted.body).toEqual({ template: { name: "order_shipped", language: "en_US", parameters: ["Ann", "#1042"] } });
    expect(within(form).queryByRole("button", { name: "Refresh from Meta" })).not.toBeInTheDocument(); // admins only
  });

  it("asks for a text header's value and the end of a URL button's link, and sends them where WhatsApp wants them", async () => {
    const calls = api();
    const { form, send } = await openComposer();
    const { preview, labels } = await pick(form, "track_order|en_US");

    expect(labels).toEqual(["Header {{1}}", "{{1}}", "End of the “Track parcel” link"]);
    expect(within(form).getByLabelText("End of the “Track parcel” link")).toHaveAttribute("placeholder", "1042-XK");
    expect(within(form).getByText("https://lamp.example/track/…")).toBeInTheDocument();
    await userEvent.type(within(form).getByLabelText("Header {{1}}"), "#1042");
    await userEvent.type(within(form).getByLabelText("{{1}}"), "Ann");
    expect(send).toBeDisabled();
    await userEvent.type(within(form).getByLabelText("End of the “Track parcel” link"), "1042-XK");
    expect(preview.textContent).toBe("Order #1042\n\nHi Ann, your parcel left our workshop today.\n\nLamp & Co\n\n"
      + "[Track parcel] https://lamp.example/track/1042-XK\n[Our shop] https://lamp.example/\n[Call us] +49301234567");
    await userEvent.click(send);

    await within(form).findByText("Template queued: its status shows in the thread.");
    expect(calls.find("POST", "/api/v1/conversations/cv-wa/messages")[0].body).toEqual({ template: {
      name: "track_order", language: "en_US", parameters: ["Ann"], header_text: "#1042", buttons: [{ index: 0, text: "1042-XK" }] } });
  });

  it("asks for a named template's parameters by name", async () => {
    const calls = api();
    const { form, send } = await openComposer();
    const { preview, labels } = await pick(form, "winter_sale|en_US");

    expect(labels).toEqual(["Header {{sale_name}}", "{{first_name}}", "{{code}}"]);
    await userEvent.type(within(form).getByLabelText("Header {{sale_name}}"), "Winter sale");
    await userEvent.type(within(form).getByLabelText("{{first_name}}"), "Ann");
    await userEvent.type(within(form).getByLabelText("{{code}}"), "WINTER10");
    expect(preview.textContent).toBe("Winter sale starts now\n\nHello Ann, use WINTER10 at checkout.");
    await userEvent.click(send);

    await within(form).findByText("Template queued: its status shows in the thread.");
    expect(calls.find("POST", "/api/v1/conversations/cv-wa/messages")[0].body).toEqual({ template: {
      name: "winter_sale", language: "en_US", header_text: "Winter sale", named_parameters: { first_name: "Ann", code: "WINTER10" } } });
  });

  it("asks a document header for an https link and a file name, and shows it as a line in the preview", async () => {
    const calls = api();
    const { form, send } = await openComposer();
    const { preview, labels } = await pick(form, "invoice|en_US");

    expect(labels).toEqual(["Document link", "File name the customer sees", "{{1}}"]);
    await userEvent.type(within(form).getByLabelText("Document link"), "http://files.lamp.example/R-77.pdf");
    await userEvent.type(within(form).getByLabelText("File name the customer sees"), "Invoice R-77.pdf");
    await userEvent.type(within(form).getByLabelText("{{1}}"), "R-77");
    expect(send).toBeDisabled();
    expect(within(form).getByText("Document link: a public https:// address.")).toBeInTheDocument();
    await userEvent.clear(within(form).getByLabelText("Document link"));
    await userEvent.type(within(form).getByLabelText("Document link"), "https://files.lamp.example/R-77.pdf");
    expect(preview.textContent).toBe("[document: Invoice R-77.pdf] https://files.lamp.example/R-77.pdf\n\nYour invoice R-77 is attached.");
    await userEvent.click(send);

    await within(form).findByText("Template queued: its status shows in the thread.");
    expect(calls.find("POST", "/api/v1/conversations/cv-wa/messages")[0].body).toEqual({ template: {
      name: "invoice", language: "en_US", parameters: ["R-77"],
      header_media: { link: "https://files.lamp.example/R-77.pdf", filename: "Invoice R-77.pdf" } } });
  });

  it("shows the API's refusal, and under the field it names until that field is edited", async () => {
    api({
      "POST /api/v1/conversations/cv-wa/messages": () => problem(422, "Not a template that can be sent",
        "The end of button 0's address (Track parcel) has a space; a web address has none (write %20).",
        { errors: [{ field: "template.buttons.0.text", in: "body",
          message: "The end of button 0's address (Track parcel) has a space; a web address has none (write %20)." }] }),
    });
    const { form, send } = await openComposer();
    await pick(form, "track_order|en_US");
    await userEvent.type(within(form).getByLabelText("Header {{1}}"), "#1042");
    await userEvent.type(within(form).getByLabelText("{{1}}"), "Ann");
    const end = within(form).getByLabelText("End of the “Track parcel” link");
    await userEvent.type(end, "1042 XK");
    await userEvent.click(send);

    expect(await within(form).findByRole("alert")).toHaveTextContent("Not a template that can be sent. The end of button 0's address");
    expect(end).toHaveAttribute("aria-invalid", "true");
    expect(end).toHaveAccessibleDescription(/has a space; a web address has none/);
    await userEvent.type(end, "Z");
    expect(end).not.toHaveAttribute("aria-invalid");
  });

  it("lets an admin read Meta's template list again at once", async () => {
    const approved: MessageTemplate = { ...plain, name: "follow_up", language: "de", category: "MARKETING", body: "Hallo {{1}}!",
      body_parameters: [{ name: "1", example: null }], parameter_count: 1 };
    const calls = api({
      "GET /api/v1/users/me": () => json({ ...ME, role: "admin" }),
      "GET /api/v1/channels": () => json({ items: [], next_cursor: null }),
      "POST /api/v1/channels/ch-wa/templates/refresh": () => json({ ...TEMPLATES, items: [approved, ...TEMPLATES.items] }),
    });
    await openComposer();
    const picker = await screen.findByLabelText("Template");
    expect(within(picker).queryByRole("option", { name: /follow_up/ })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Refresh from Meta" }));
    expect(await within(picker).findByRole("option", { name: "follow_up (de, marketing)" })).toBeInTheDocument();
    expect(calls.find("POST", "/api/v1/channels/ch-wa/templates/refresh")).toHaveLength(1);
  });

  it("says what to configure when the channel has no WhatsApp Business Account id, and why a template was refused", async () => {
    api({
      "GET /api/v1/channels/ch-wa/templates": () => problem(409, "Message templates not configured",
        "This WhatsApp channel has no WhatsApp Business Account id: an admin sets settings.business_account_id."),
    });
    await signIn();
    const { unmount } = renderApp("/inbox/cv-wa");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Message templates not configured. This WhatsApp channel has no WhatsApp Business Account id");
    expect(screen.getByRole("button", { name: "Send template" })).toBeDisabled();
    unmount();

    api({
      "POST /api/v1/conversations/cv-wa/messages": () => problem(422, "Not a template that can be sent",
        "No approved template 'hello_world' in language 'en_US' on this WhatsApp Business Account."),
    });
    renderApp("/inbox/cv-wa");
    await userEvent.selectOptions(await screen.findByLabelText("Template"), "hello_world|en_US");
    expect(screen.queryByRole("group", { name: "Fill in the template" })).not.toBeInTheDocument(); // no parameters
    await userEvent.click(screen.getByRole("button", { name: "Send template" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Not a template that can be sent. No approved template 'hello_world'");
  });
});

describe("template logic", () => {
  it("previews unfilled values as their placeholders and a media header as a line", () => {
    const image: MessageTemplate = { ...INVOICE, header: { format: "IMAGE", text: null, parameter: null } };
    expect(templatePreview(image, {})).toBe("[image] (link)\n\nYour invoice {{1}} is attached.");
    expect(templateFields(image).map((f) => f.label)).toEqual(["Image link", "{{1}}"]);
    expect(templateReply(image, { "template.header_media.link": "https://x.example/a.jpg", "template.parameters.0": "R" }))
      .toEqual({ name: "invoice", language: "en_US", parameters: ["R"], header_media: { link: "https://x.example/a.jpg" } });
    expect(templateFields(HELLO)).toEqual([]);
    const alone = { ...HELLO, body: "x {{1}}", body_parameters: [{ name: "1", example: null }] };
    expect(templateFields(alone)[0].maxLength).toBe(32768); // a body alone takes longer parameters
    expect(templateFields(ORDER_SHIPPED)[0].maxLength).toBe(1024);
  });
});
