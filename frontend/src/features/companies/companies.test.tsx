import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import type { Company } from "./types";

const company = (id: string, name: string, extra: Partial<Company> = {}): Company => ({
  id, name, domain: `${name.toLowerCase().replace(/\W+/g, "")}.example`, industry: "Retail", size: "11-50", address: null,
  tags: [], owner_id: "u-rita", custom_fields: {}, version: 1, created_at: "2026-11-20T10:00:00Z",
  updated_at: "2026-11-20T10:00:00Z", deleted_at: null, ...extra,
});

describe("companies", () => {
  it("lists companies, searches by name and opens one with its contacts and deals", async () => {
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/companies": ({ query }) =>
        json({ items: query.get("q") ? [company("co-2", "Kiesel Café")] : [company("co-1", "Alpen Design"), company("co-2", "Kiesel Café")], next_cursor: null }),
      "GET /api/v1/companies/co-2": () => json(company("co-2", "Kiesel Café")),
      "GET /api/v1/companies/co-2/timeline": () => json({ items: [], next_cursor: null }),
      "GET /api/v1/contacts": () => json({ items: [{
        id: "c-1", first_name: "Elif", last_name: "Berg", title: null, emails: ["elif@kieselcafe.example"], phones: [], company_id: "co-2",
        owner_id: "u-rita", lifecycle_stage: "customer", tags: [], source: null, whatsapp_id: null, messenger_psid: null,
        last_contacted_at: null, custom_fields: {}, version: 1, created_at: "2026-11-20T10:00:00Z", updated_at: "2026-11-20T10:00:00Z", deleted_at: null,
      }], next_cursor: null }),
      "GET /api/v1/deals": () => json({ items: [{
        id: "d-1", title: "13 espresso machines", contact_id: "c-1", company_id: "co-2", pipeline_id: "p-1", stage_id: "s-1",
        amount: "33550.00", currency: "EUR", expected_close_date: null, owner_id: "u-rita", status: "open", lost_reason: null,
        closed_at: null, stage_changed_at: "2026-11-20T10:00:00Z", custom_fields: {}, version: 1, deleted_at: null,
        created_at: "2026-11-20T10:00:00Z", updated_at: "2026-11-20T10:00:00Z",
      }], next_cursor: null }),
      "GET /api/v1/pipelines": () => json([{ id: "p-1", name: "Sales", is_default: true, position: 0, stages: [{ id: "s-1", name: "Proposal", position: 2, probability: 50, kind: "open" }] }]),
    });
    await signIn();
    renderApp("/companies");
    expect(await screen.findByRole("link", { name: "Alpen Design" })).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText("Search"), "kiesel");
    await waitFor(() => expect(screen.queryByRole("link", { name: "Alpen Design" })).not.toBeInTheDocument());
    await userEvent.click(await screen.findByRole("link", { name: "Kiesel Café" }));

    expect(await screen.findByRole("heading", { level: 1, name: "Kiesel Café" })).toBeInTheDocument();
    const contacts = screen.getByRole("region", { name: "Contacts" });
    expect(await within(contacts).findByRole("link", { name: "Elif Berg" })).toBeInTheDocument();
    const deals = screen.getByRole("region", { name: "Deals" });
    expect(await within(deals).findByRole("link", { name: "13 espresso machines" })).toBeInTheDocument();
    expect(within(deals).getByText(/€33,550 · Proposal/)).toBeInTheDocument();
    expect(api.find("GET", "/api/v1/contacts")[0].query.get("company_id")).toBe("co-2");
  });

  it("shows the API's reason when a new company is refused", async () => {
    installFakeApi({
      ...baseRoutes,
      "GET /api/v1/companies": () => json({ items: [], next_cursor: null }),
      "POST /api/v1/companies": () => problem(409, "Conflict", "A company with the domain kieselcafe.example already exists."),
    });
    await signIn();
    renderApp("/companies");
    expect(await screen.findByText("No companies yet.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "New company" }));
    await userEvent.type(screen.getByLabelText("Name"), "Kiesel Café");
    await userEvent.type(screen.getByLabelText("Website domain"), "kieselcafe.example");
    await userEvent.click(screen.getByRole("button", { name: "Create company" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("A company with the domain kieselcafe.example already exists.");
  });
});
