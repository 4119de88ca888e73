import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, ME, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import { changesFrom, displayValue, keyFromLabel, parseValue, serverFieldErrors, toFormValues } from "./custom-field-logic";
import type { CustomField } from "./types";

const def = (key: string, label: string, field_type: CustomField["field_type"], extra: Partial<CustomField> = {}): CustomField => ({
  id: `f-${key}`, object_type: "contact", key, label, field_type, options: [], required: false, position: 0,
  created_at: "2026-11-01T09:00:00Z", ...extra,
});

const FIELDS: CustomField[] = [
  def("shoe_size", "Shoe size", "number", { position: 1 }),
  def("newsletter", "Newsletter", "boolean", { position: 2 }),
  def("segment", "Segment", "select", { options: ["Retail", "Wholesale"], position: 3 }),
  def("renewal", "Renewal", "date", { position: 4 }),
  def("industry_note", "Industry note", "text", { object_type: "company" }),
];

const contact = (custom_fields: Record<string, unknown>, version = 1) => ({
  id: "c-1", first_name: "Ada", last_name: "Berg", title: null, emails: ["ada@example.org"], phones: [], company_id: null,
  owner_id: "u-rita", lifecycle_stage: "customer", tags: [], source: null, whatsapp_id: null, messenger_psid: null,
  last_contacted_at: null, custom_fields, version, created_at: "2026-11-20T10:00:00Z", updated_at: "2026-11-26T10:00:00Z", deleted_at: null,
});

const recordRoutes = {
  "GET /api/v1/contacts/:id/timeline": () => json({ items: [], next_cursor: null }),
  "GET /api/v1/deals": () => json({ items: [], next_cursor: null }),
  "GET /api/v1/pipelines": () => json([]),
  "GET /api/v1/activities": () => json({ items: [], next_cursor: null }),
  "GET /api/v1/custom-fields": () => json({ items: FIELDS, next_cursor: null }),
};

describe("custom fields on a contact", () => {
  it("shows the contact's fields in order, edits them and sends only what changed", async () => {
    let current = contact({ shoe_size: 42, newsletter: true, segment: "Retail" });
    const api = installFakeApi({
      ...baseRoutes, ...recordRoutes,
      "GET /api/v1/contacts/c-1": () => json(current),
      "PATCH /api/v1/contacts/c-1": ({ body }) => {
        const changes = (body as { custom_fields: Record<string, unknown> }).custom_fields;
        const merged = Object.fromEntries(Object.entries({ ...current.custom_fields, ...changes }).filter(([, v]) => v !== null));
        current = contact(merged, current.version + 1);
        return json(current);
      },
    });
    await signIn();
    renderApp("/contacts/c-1");
    const card = await screen.findByRole("region", { name: "Custom fields" });
    const terms = within(card).getAllByRole("term").map((t) => t.textContent);
    expect(terms).toEqual(["Shoe size", "Newsletter", "Segment", "Renewal"]); // contact fields only, by position
    expect(within(card).getByText("42")).toBeInTheDocument();
    expect(within(card).getByText("Yes")).toBeInTheDocument();

    await userEvent.click(within(card).getByRole("button", { name: "Edit custom fields" }));
    const form = screen.getByRole("form", { name: "Custom fields" });
    await userEvent.selectOptions(within(form).getByLabelText("Segment"), "Wholesale");
    await userEvent.clear(within(form).getByLabelText("Shoe size"));
    await userEvent.type(within(form).getByLabelText("Renewal"), "2027-03-01");
    await userEvent.click(within(form).getByRole("button", { name: "Save" }));

    const saved = await screen.findByRole("region", { name: "Custom fields" });
    expect(await within(saved).findByText("Wholesale")).toBeInTheDocument();
    expect(within(saved).getByText("1 Mar 2027")).toBeInTheDocument();
    const patch = api.find("PATCH", "/api/v1/contacts/c-1")[0];
    expect(patch.body).toEqual({ custom_fields: { segment: "Wholesale", shoe_size: null, renewal: "2027-03-01" } });
    expect(patch.headers.get("If-Match")).toBe('"1"');
  });

  it("checks a number before sending and shows the API's refusal at its field", async () => {
    const api = installFakeApi({
      ...baseRoutes, ...recordRoutes,
      "GET /api/v1/contacts/c-1": () => json(contact({})),
      "PATCH /api/v1/contacts/c-1": () => problem(422, "Unprocessable Content", "custom_fields.segment: expected one of Retail, Wholesale",
        { errors: [{ field: "custom_fields.segment", message: "expected one of Retail, Wholesale" }] }),
    });
    await signIn();
    renderApp("/contacts/c-1");
    await userEvent.click(await screen.findByRole("button", { name: "Edit custom fields" }));
    const form = screen.getByRole("form", { name: "Custom fields" });
    await userEvent.type(within(form).getByLabelText("Shoe size"), "forty");
    await userEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("Shoe size must be a number, like 12 or 12.5.")).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/contacts/c-1")).toHaveLength(0);

    await userEvent.clear(within(form).getByLabelText("Shoe size"));
    await userEvent.selectOptions(within(form).getByLabelText("Segment"), "Retail");
    await userEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("expected one of Retail, Wholesale")).toBeInTheDocument();
    expect(within(form).getByLabelText("Segment")).toHaveAttribute("aria-invalid", "true");
  });

  it("shows no card while no field is defined for contacts", async () => {
    installFakeApi({
      ...baseRoutes, ...recordRoutes,
      "GET /api/v1/custom-fields": () => json({ items: [FIELDS[4]], next_cursor: null }),
      "GET /api/v1/contacts/c-1": () => json(contact({})),
    });
    await signIn();
    renderApp("/contacts/c-1");
    await screen.findByRole("region", { name: "Details" });
    await waitFor(() => expect(screen.queryByText("Loading…")).not.toBeInTheDocument());
    expect(screen.queryByRole("region", { name: "Custom fields" })).not.toBeInTheDocument();
  });
});

const ADMIN = { ...ME, id: "u-ada", email: "admin@example.com", full_name: "Ada Admin", role: "admin" };

describe("Settings > Custom fields", () => {
  it("lets an admin create a choice field, edit its options and delete one after confirming", async () => {
    let fields = [...FIELDS];
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/users/me": () => json(ADMIN),
      "GET /api/v1/custom-fields": () => json({ items: fields, next_cursor: null }),
      "POST /api/v1/custom-fields": ({ body }) => {
        const created = { ...(body as CustomField), id: "f-new", created_at: "2026-12-05T10:00:00Z" };
        fields = [...fields, created];
        return json(created, 201);
      },
      "PATCH /api/v1/custom-fields/:id": ({ path, body }) => {
        fields = fields.map((f) => (`/api/v1/custom-fields/${f.id}` === path ? { ...f, ...(body as object) } : f));
        return json(fields.find((f) => `/api/v1/custom-fields/${f.id}` === path));
      },
      "DELETE /api/v1/custom-fields/:id": ({ path }) => {
        fields = fields.filter((f) => `/api/v1/custom-fields/${f.id}` !== path);
        return { status: 204 };
      },
    });
    await signIn();
    renderApp("/settings/custom-fields");
    await userEvent.click(await screen.findByRole("button", { name: "Deals" }));
    expect(await screen.findByText("No custom fields on deals yet.")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "New field" }));
    const form = screen.getByRole("form", { name: "New custom field" });
    await userEvent.type(within(form).getByLabelText("Label"), "Delivery window (weeks)");
    expect(within(form).getByLabelText("Key")).toHaveValue("delivery_window_weeks");
    await userEvent.selectOptions(within(form).getByLabelText("Type"), "select");
    await userEvent.click(within(form).getByRole("button", { name: "Create field" }));
    expect(await within(form).findByText("A choice needs at least one option.")).toBeInTheDocument();
    await userEvent.type(within(form).getByLabelText("Options"), "1-2{Enter}3-4{Enter}1-2");
    await userEvent.click(within(form).getByRole("checkbox", { name: "Required" }));
    await userEvent.click(within(form).getByRole("button", { name: "Create field" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Created Delivery window (weeks).");
    expect(api.find("POST", "/api/v1/custom-fields")[0].body).toEqual({
      object_type: "deal", key: "delivery_window_weeks", label: "Delivery window (weeks)", field_type: "select",
      options: ["1-2", "3-4"], required: true, position: 0,
    });

    await userEvent.click(screen.getByRole("button", { name: "Contacts" }));
    await userEvent.click(await screen.findByRole("button", { name: "Edit Segment" }));
    const edit = screen.getByRole("form", { name: "Edit Segment" });
    expect(within(edit).getByLabelText("Key")).toHaveAttribute("readonly");
    await userEvent.type(within(edit).getByLabelText("Options"), "{Enter}Online");
    await userEvent.click(within(edit).getByRole("button", { name: "Save field" }));
    expect(await screen.findByText(/Retail, Wholesale, Online/)).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/custom-fields/f-segment")[0].body).toMatchObject({ options: ["Retail", "Wholesale", "Online"] });

    await userEvent.click(screen.getByRole("button", { name: "Delete Newsletter" }));
    expect(api.find("DELETE", /custom-fields/)).toHaveLength(0); // asks first
    await userEvent.click(screen.getByRole("button", { name: "Confirm delete" }));
    await waitFor(() => expect(screen.queryByText("Newsletter")).not.toBeInTheDocument());
    expect(api.find("DELETE", "/api/v1/custom-fields/f-newsletter")).toHaveLength(1);
  });

  it("shows a refused key (already taken) from the API", async () => {
    installFakeApi({
      ...baseRoutes,
      "GET /api/v1/users/me": () => json(ADMIN),
      "GET /api/v1/custom-fields": () => json({ items: FIELDS, next_cursor: null }),
      "POST /api/v1/custom-fields": () => problem(409, "Conflict", "contact already has a field 'segment'."),
    });
    await signIn();
    renderApp("/settings/custom-fields");
    await userEvent.click(await screen.findByRole("button", { name: "New field" }));
    const form = screen.getByRole("form", { name: "New custom field" });
    await userEvent.type(within(form).getByLabelText("Label"), "Segment");
    await userEvent.click(within(form).getByRole("button", { name: "Create field" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("contact already has a field 'segment'.");
  });
});

describe("custom field values", () => {
  it("turns form text into the API's values and back", () => {
    const [size, news, segment, renewal] = FIELDS;
    expect(parseValue(size, "12.5")).toEqual({ value: 12.5 });
    expect(parseValue(size, "12,5")).toHaveProperty("error");
    expect(parseValue(news, "false")).toEqual({ value: false });
    expect(parseValue(segment, "Online")).toHaveProperty("error");
    expect(parseValue({ ...renewal, required: true }, " ")).toEqual({ error: "Renewal is required." });
    const before = toFormValues(FIELDS.slice(0, 4), { shoe_size: 42, newsletter: false });
    expect(before).toEqual({ shoe_size: "42", newsletter: "false", segment: "", renewal: "" });
    expect(changesFrom(FIELDS.slice(0, 4), before, { ...before, newsletter: "true", shoe_size: "" }))
      .toEqual({ changes: { newsletter: true, shoe_size: null }, errors: {} });
    expect(displayValue(size, 1250)).toBe("1,250");
    expect(displayValue(news, false)).toBe("No");
    expect(displayValue(segment, undefined)).toBe("—");
    expect(serverFieldErrors([{ field: "custom_fields.segment", message: "bad" }, { field: "name", message: "x" }])).toEqual({ segment: "bad" });
    expect(keyFromLabel("Größe (EU) 2")).toBe("grosse_eu_2");
    expect(keyFromLabel("3rd party")).toBe("rd_party");
  });
});

