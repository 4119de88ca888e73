import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import type { Contact } from "./types";

const contact = (id: string, first: string, last: string, extra: Partial<Contact> = {}): Contact => ({
  id, first_name: first, last_name: last, title: null, emails: [`${first.toLowerCase()}@example.org`], phones: [],
  company_id: null, owner_id: "u-rita", lifecycle_stage: "lead", tags: [], source: null, whatsapp_id: null,
  messenger_psid: null, last_contacted_at: null, custom_fields: {}, version: 1,
  created_at: "2026-11-20T10:00:00Z", updated_at: "2026-11-26T10:00:00Z", deleted_at: null, ...extra,
});

const recordRoutes = {
  "GET /api/v1/contacts/:id/timeline": () => json({ items: [], next_cursor: null }),
  "GET /api/v1/deals": () => json({ items: [], next_cursor: null }),
  "GET /api/v1/pipelines": () => json([]),
  "GET /api/v1/activities": () => json({ items: [], next_cursor: null }),
};

describe("the contacts table", () => {
  it("lists contacts, searches on the server and loads the next cursor page", async () => {
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/contacts": ({ query }) => {
        if (query.get("q") === "ada") return json({ items: [contact("c-1", "Ada", "Lovelace")], next_cursor: null });
        if (query.get("cursor") === "page-2") return json({ items: [contact("c-3", "Cy", "Young")], next_cursor: null });
        return json({ items: [contact("c-1", "Ada", "Lovelace"), contact("c-2", "Bo", "Diddley")], next_cursor: "page-2" });
      },
    });
    await signIn();
    renderApp("/contacts");
    expect(await screen.findByRole("link", { name: "Ada Lovelace" })).toHaveAttribute("href", "/contacts/c-1");
    expect(screen.getByRole("link", { name: "Bo Diddley" })).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByRole("link", { name: "Cy Young" })).toBeInTheDocument();
    expect(screen.getAllByRole("row")).toHaveLength(4); // header + 3

    await userEvent.type(screen.getByLabelText("Search"), "ada");
    await waitFor(() => expect(screen.queryByRole("link", { name: "Bo Diddley" })).not.toBeInTheDocument());
    expect(api.find("GET", "/api/v1/contacts").some((c) => c.query.get("q") === "ada")).toBe(true);
  });

  it("filters by stage and owner and sorts, and says so when nothing matches", async () => {
    const api = installFakeApi({ ...baseRoutes, "GET /api/v1/contacts": () => json({ items: [], next_cursor: null }) });
    await signIn();
    renderApp("/contacts");
    expect(await screen.findByText("No contacts yet.")).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText("Stage"), "customer");
    await userEvent.selectOptions(screen.getByLabelText("Sort"), "last_name");
    await userEvent.selectOptions(screen.getByLabelText("Owner"), "unassigned");
    await waitFor(() => {
      const last = api.find("GET", "/api/v1/contacts").at(-1)!;
      expect(last.query.get("lifecycle_stage")).toBe("customer");
      expect(last.query.get("sort")).toBe("last_name");
      expect(last.query.get("unassigned")).toBe("true");
      expect(last.query.get("owner_id")).toBeNull();
    });
  });

  it("creates a contact and opens its page", async () => {
    const api = installFakeApi({
      ...baseRoutes, ...recordRoutes,
      "GET /api/v1/contacts": () => json({ items: [], next_cursor: null }),
      "POST /api/v1/contacts": () => json(contact("c-9", "Grace", "Hopper"), 201),
      "GET /api/v1/contacts/c-9": () => json(contact("c-9", "Grace", "Hopper")),
    });
    await signIn();
    renderApp("/contacts");
    await userEvent.click(await screen.findByRole("button", { name: "New contact" }));
    const form = screen.getByRole("form", { name: "New contact" });
    await userEvent.type(within(form).getByLabelText("First name"), "Grace");
    await userEvent.type(within(form).getByLabelText("Last name"), "Hopper");
    await userEvent.type(within(form).getByLabelText("Email"), "grace@example.org");
    await userEvent.click(within(form).getByRole("button", { name: "Create contact" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Grace Hopper" })).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/contacts")[0].body).toMatchObject({ first_name: "Grace", emails: ["grace@example.org"] });
  });
});

describe("the contact page", () => {
  it("edits details in place, sending the version it was looking at", async () => {
    const api = installFakeApi({
      ...baseRoutes, ...recordRoutes,
      "GET /api/v1/contacts/c-1": () => json(contact("c-1", "Ada", "Lovelace", { version: 4 })),
      "PATCH /api/v1/contacts/c-1": ({ body }) => json(contact("c-1", "Ada", "Lovelace", { ...(body as object), version: 5 })),
    });
    await signIn();
    renderApp("/contacts/c-1");
    await userEvent.click(await screen.findByRole("button", { name: "Edit" }));
    await userEvent.clear(screen.getByLabelText("Job title"));
    await userEvent.type(screen.getByLabelText("Job title"), "Head of buying");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Saved.")).toBeInTheDocument();
    expect(within(screen.getByRole("region", { name: "Details" })).getByText("Head of buying")).toBeInTheDocument();
    const patch = api.find("PATCH", "/api/v1/contacts/c-1")[0];
    expect(patch.headers.get("If-Match")).toBe('"4"');
    expect(patch.body).toMatchObject({ title: "Head of buying" });
  });

  it("explains a conflicting edit (412) plainly and shows the other person's version", async () => {
    let reads = 0;
    installFakeApi({
      ...baseRoutes, ...recordRoutes,
      "GET /api/v1/contacts/c-1": () => {
        reads += 1;
        return json(contact("c-1", "Ada", "Lovelace", reads > 1 ? { title: "CTO", version: 5 } : { version: 4 }));
      },
      "PATCH /api/v1/contacts/c-1": () => problem(412, "Precondition failed", "The record changed since you read it."),
    });
    await signIn();
    renderApp("/contacts/c-1");
    await userEvent.click(await screen.findByRole("button", { name: "Edit" }));
    await userEvent.type(screen.getByLabelText("Job title"), "Buyer");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Someone else changed this record while you were editing it.");
    await waitFor(() => expect(screen.getByLabelText("Job title")).toHaveValue("CTO"));
  });

  it("says so when the contact does not exist or is not shared", async () => {
    installFakeApi({ ...baseRoutes, ...recordRoutes, "GET /api/v1/contacts/c-x": () => problem(404, "Not found", "Contact not found") });
    await signIn();
    renderApp("/contacts/c-x");
    expect(await screen.findByRole("alert")).toHaveTextContent("We couldn't find that record.");
  });
});
