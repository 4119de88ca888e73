import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";

const stages = [{ id: "s-new", name: "New", position: 0, probability: 10, kind: "open" as const }];
const pipeline = { id: "p-1", name: "Sales", is_default: true, position: 0, stages };
const board = { pipeline_id: "p-1", name: "Sales", stages: [{ ...stages[0], count: 0, totals: [], cards: [], next_cursor: null }] };
const person = (id: string, first: string, last: string) => ({
  id, first_name: first, last_name: last, title: null, emails: [`${first.toLowerCase()}@example.org`], phones: [], company_id: null,
  owner_id: "u-rita", lifecycle_stage: "lead", tags: [], source: null, whatsapp_id: null, messenger_psid: null, last_contacted_at: null,
  custom_fields: {}, version: 1, created_at: "2026-11-20T10:00:00Z", updated_at: "2026-11-20T10:00:00Z", deleted_at: null,
});
const company = (id: string, name: string) => ({
  id, name, domain: `${name.toLowerCase().replace(/\W+/g, "")}.example`, industry: null, size: null, address: null, tags: [], owner_id: null,
  custom_fields: {}, version: 1, created_at: "2026-11-20T10:00:00Z", updated_at: "2026-11-20T10:00:00Z", deleted_at: null,
});

describe("the new-deal form", () => {
  it("picks a contact and a company by typing and the keyboard, and sends their ids", async () => {
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/pipelines": () => json([pipeline]),
      "GET /api/v1/pipelines/p-1/board": () => json(board),
      "GET /api/v1/contacts": ({ query }) => json({
        items: [person("c-1", "Ada", "Berg"), person("c-2", "Adam", "Kern")].filter((p) => `${p.first_name} ${p.last_name}`.toLowerCase().includes(query.get("q") ?? "")),
        next_cursor: null,
      }),
      "GET /api/v1/companies": ({ query }) => json({ items: [company("co-1", "Kiesel Café")].filter((c) => c.name.toLowerCase().includes(query.get("q") ?? "")), next_cursor: null }),
      "POST /api/v1/deals": ({ body }) => json({ ...(body as object), id: "d-9", status: "open", version: 1 }, 201),
    });
    await signIn();
    renderApp("/deals");
    await userEvent.click(await screen.findByRole("button", { name: "New deal" }));
    const form = screen.getByRole("form", { name: "New deal" });
    await userEvent.type(within(form).getByLabelText("Deal title"), "Espresso machines");

    const contactBox = within(form).getByRole("combobox", { name: "Contact" });
    await userEvent.type(contactBox, "adam");
    await waitFor(() => expect(within(within(form).getByRole("listbox", { name: "Contact" })).getAllByRole("option").map((o) => o.textContent))
      .toEqual(["Adam Kernadam@example.org"]));
    expect(contactBox).toHaveAttribute("aria-expanded", "true");
    await userEvent.keyboard("{Enter}"); // picks; does not submit the form
    expect(contactBox).toHaveValue("Adam Kern");
    expect(api.find("POST", "/api/v1/deals")).toHaveLength(0);

    const companyBox = within(form).getByRole("combobox", { name: "Company" });
    await userEvent.type(companyBox, "kies");
    const option = await within(form).findByRole("option", { name: /Kiesel Café/ });
    expect(option).toHaveTextContent("kieselcaf.example");
    await userEvent.keyboard("{Escape}");
    expect(within(form).queryByRole("listbox")).not.toBeInTheDocument();
    await userEvent.keyboard("{ArrowDown}");
    await userEvent.keyboard("{Enter}");
    expect(companyBox).toHaveValue("Kiesel Café");

    await userEvent.click(within(form).getByRole("button", { name: "Create deal" }));
    await waitFor(() => expect(api.find("POST", "/api/v1/deals")).toHaveLength(1));
    expect(api.find("POST", "/api/v1/deals")[0].body).toMatchObject({ title: "Espresso machines", contact_id: "c-2", company_id: "co-1", amount_from_line_items: false });
  });

  it("clears a picked contact", async () => {
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/pipelines": () => json([pipeline]),
      "GET /api/v1/pipelines/p-1/board": () => json(board),
      "GET /api/v1/contacts": () => json({ items: [person("c-1", "Ada", "Berg")], next_cursor: null }),
      "POST /api/v1/deals": ({ body }) => json({ ...(body as object), id: "d-9", status: "open", version: 1 }, 201),
    });
    await signIn();
    renderApp("/deals");
    await userEvent.click(await screen.findByRole("button", { name: "New deal" }));
    const form = screen.getByRole("form", { name: "New deal" });
    await userEvent.type(within(form).getByLabelText("Deal title"), "Refill");
    await userEvent.type(within(form).getByRole("combobox", { name: "Contact" }), "ada");
    await userEvent.click(await within(form).findByRole("option", { name: /Ada Berg/ }));
    await userEvent.click(within(form).getByRole("button", { name: "Clear Contact" }));
    expect(within(form).getByRole("combobox", { name: "Contact" })).toHaveValue("");
    await userEvent.click(within(form).getByRole("button", { name: "Create deal" }));
    await waitFor(() => expect(api.find("POST", "/api/v1/deals")).toHaveLength(1));
    expect(api.find("POST", "/api/v1/deals")[0].body).toMatchObject({ contact_id: null, company_id: null });
  });
});
