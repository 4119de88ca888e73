import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, ME, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import type { Company } from "./types";

const MANAGER = { ...ME, id: "u-mia", role: "manager" };
const kiesel = (extra: Partial<Company> = {}): Company => ({
  id: "co-2", name: "Kiesel Café", domain: "kieselcafe.example", industry: "Retail", size: "11-50", address: null, tags: [],
  owner_id: "u-rita", custom_fields: {}, version: 4, created_at: "2026-11-20T10:00:00Z", updated_at: "2026-11-20T10:00:00Z", deleted_at: null, ...extra,
});

function companyApi(me = ME) {
  let company: Company | null = kiesel();
  const api = installFakeApi({
    ...baseRoutes,
    "GET /api/v1/users/me": () => json(me),
    "GET /api/v1/companies/co-2": () => (company ? json(company) : problem(404, "Not Found")),
    "GET /api/v1/companies": () => json({ items: company ? [company] : [], next_cursor: null }),
    "GET /api/v1/companies/co-2/timeline": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/contacts": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/deals": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/pipelines": () => json([]),
    "GET /api/v1/custom-fields": () => json({ items: [], next_cursor: null }),
    "PATCH /api/v1/companies/co-2": ({ body }) => json((company = { ...company!, ...(body as object), version: company!.version + 1 })),
    "DELETE /api/v1/companies/co-2": () => { company = null; return { status: 204 }; },
    "POST /api/v1/companies/co-2/restore": () => json((company = kiesel({ version: 6 }))),
  });
  return api;
}

describe("company edit and delete", () => {
  it("edits a company against the version on screen", async () => {
    const api = companyApi();
    await signIn();
    renderApp("/companies/co-2");
    await userEvent.click(await screen.findByRole("button", { name: "Edit company" }));
    const form = screen.getByRole("form", { name: "Edit company" });
    await userEvent.clear(within(form).getByLabelText("Name"));
    await userEvent.type(within(form).getByLabelText("Name"), "Kiesel Kaffee");
    await userEvent.type(within(form).getByLabelText("Address"), "Hauptstr. 1, Bern");
    await userEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Kiesel Kaffee" })).toBeInTheDocument();
    expect(screen.getByText("Hauptstr. 1, Bern")).toBeInTheDocument();
    const patch = api.find("PATCH", "/api/v1/companies/co-2")[0];
    expect(patch.headers.get("If-Match")).toBe('"4"');
    expect(patch.body).toMatchObject({ name: "Kiesel Kaffee", address: "Hauptstr. 1, Bern", domain: "kieselcafe.example" });
  });

  it("deletes after confirming, and a manager restores it from the list", async () => {
    const api = companyApi(MANAGER);
    await signIn();
    renderApp("/companies/co-2");
    await userEvent.click(await screen.findByRole("button", { name: "Delete company" }));
    expect(api.find("DELETE", "/api/v1/companies/co-2")).toHaveLength(0);
    await userEvent.click(screen.getByRole("button", { name: "Delete Kiesel Café" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Companies" })).toBeInTheDocument();
    expect(api.find("DELETE", "/api/v1/companies/co-2")[0].headers.get("If-Match")).toBe('"4"');
    expect(await screen.findByText("No companies yet.")).toBeInTheDocument();
    const notice = screen.getByText(/Deleted Kiesel Café\./);
    await userEvent.click(within(notice).getByRole("button", { name: "Restore" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Kiesel Café" })).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/companies/co-2/restore")).toHaveLength(1);
  });

  it("tells a rep who can restore", async () => {
    companyApi();
    await signIn();
    renderApp("/companies/co-2");
    await userEvent.click(await screen.findByRole("button", { name: "Delete company" }));
    await userEvent.click(screen.getByRole("button", { name: "Delete Kiesel Café" }));
    await waitFor(() => expect(screen.getByText(/Deleted Kiesel Café\. A manager can restore it\./)).toBeInTheDocument());
    expect(screen.queryByRole("button", { name: "Restore" })).not.toBeInTheDocument();
  });
});
