import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import type { Contact, DuplicatePair } from "./types";

const contact = (id: string, first: string, last: string, extra: Partial<Contact> = {}): Contact => ({
  id, first_name: first, last_name: last, title: null, emails: ["ada@example.org"], phones: [],
  company_id: null, owner_id: "u-rita", lifecycle_stage: "lead", tags: [], source: null, whatsapp_id: null,
  messenger_psid: null, last_contacted_at: null, custom_fields: {}, version: 3,
  created_at: "2026-11-20T10:00:00Z", updated_at: "2026-11-26T10:00:00Z", deleted_at: null, ...extra,
});

const ada = contact("c-ada", "Ada", "Lovelace", { phones: ["+442071234567"] });
const adaAgain = contact("c-ada-2", "Ada", "King", { created_at: "2026-11-25T10:00:00Z", emails: ["ada@example.org", "ak@example.org"] });
const bo = contact("c-bo", "Bo", "Diddley", { emails: ["bo@example.org"], phones: ["+15550100"], owner_id: null });
const boAgain = contact("c-bo-2", "Bo", "D.", { emails: [], phones: ["+15550100"], created_at: "2026-11-26T10:00:00Z" });

const emailPair: DuplicatePair = { reason: "email", value: "ada@example.org", contacts: [ada, adaAgain] };
const phonePair: DuplicatePair = { reason: "phone", value: "+15550100", contacts: [bo, boAgain] };

/** The duplicates API as the server keeps it: a merged-away contact leaves every pair it was in. */
function duplicatesServer(pairs: DuplicatePair[]) {
  const deleted = new Set<string>();
  return {
    deleted,
    routes: {
      "GET /api/v1/contacts/duplicates": () =>
        json({ items: pairs.filter((p) => !p.contacts.some((c) => deleted.has(c.id))), next_cursor: null }),
    },
  };
}

const pairRegion = (name: RegExp) => screen.findByRole("region", { name });

describe("the possible duplicates screen", () => {
  it("is reached from the contacts page and lists each pair side by side", async () => {
    const server = duplicatesServer([emailPair, phonePair]);
    installFakeApi({ ...baseRoutes, ...server.routes, "GET /api/v1/contacts": () => json({ items: [], next_cursor: null }) });
    await signIn();
    renderApp("/contacts");
    await userEvent.click(await screen.findByRole("link", { name: "Possible duplicates" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Possible duplicates" })).toBeInTheDocument();

    const email = await pairRegion(/Same email: ada@example.org/);
    expect(within(email).getByRole("link", { name: "Ada Lovelace" })).toHaveAttribute("href", "/contacts/c-ada");
    expect(within(email).getByRole("link", { name: "Ada King" })).toHaveAttribute("href", "/contacts/c-ada-2");
    expect(within(email).getByText("ak@example.org")).toBeInTheDocument();
    expect(within(email).getAllByText("Rita Chen")).toHaveLength(2);
    expect(within(email).getByText("25 Nov 2026")).toBeInTheDocument();

    const phone = await pairRegion(/Same phone: \+15550100/);
    expect(within(phone).getByText("Unassigned")).toBeInTheDocument();
  });

  it("loads the next page of pairs", async () => {
    installFakeApi({
      ...baseRoutes,
      "GET /api/v1/contacts/duplicates": ({ query }) => query.get("cursor") === "after-ada"
        ? json({ items: [phonePair], next_cursor: null })
        : json({ items: [emailPair], next_cursor: "after-ada" }),
    });
    await signIn();
    renderApp("/contacts/duplicates");
    await pairRegion(/Same email/);
    expect(screen.queryByRole("region", { name: /Same phone/ })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(await pairRegion(/Same phone/)).toBeInTheDocument();
    expect(screen.getByRole("region", { name: /Same email/ })).toBeInTheDocument();
  });

  it("merges into the contact the rep keeps, then undoes it and the pair is back", async () => {
    const server = duplicatesServer([emailPair, phonePair]);
    const api = installFakeApi({
      ...baseRoutes, ...server.routes,
      "POST /api/v1/contacts/:id/merge": ({ path, body }) => {
        const otherId = (body as { other_id: string }).other_id;
        server.deleted.add(otherId);
        const keptId = path.split("/")[4];
        return json({
          contact: { ...adaAgain, id: keptId, emails: ["ada@example.org", "ak@example.org"], version: 4 },
          merge: { id: "m-1", primary_id: keptId, merged_id: otherId, moved: { deals: [], activities: [] },
            merged_by_id: "u-rita", created_at: "2026-11-27T10:00:00Z", undone_at: null },
        });
      },
      "POST /api/v1/merges/m-1/undo": () => {
        server.deleted.clear();
        return json(adaAgain);
      },
    });
    await signIn();
    renderApp("/contacts/duplicates");
    const pair = await pairRegion(/Same email/);
    await userEvent.click(within(pair).getByRole("button", { name: "Merge" }));

    // The older record is kept unless the rep picks the other one; the confirmation says what happens.
    const confirm = within(pair).getByRole("form", { name: "Merge these contacts" });
    expect(within(confirm).getByRole("radio", { name: /Ada Lovelace/ })).toBeChecked();
    await userEvent.click(within(confirm).getByRole("radio", { name: /Ada King/ }));
    expect(confirm).toHaveTextContent("The older record, Ada Lovelace, will be merged into Ada King");
    await userEvent.click(within(confirm).getByRole("button", { name: "Merge into Ada King" }));

    const status = await screen.findByRole("status");
    await within(status).findByText(/Merged Ada Lovelace into/);
    expect(within(status).getByRole("link", { name: "Ada King" })).toHaveAttribute("href", "/contacts/c-ada-2");
    const merges = api.find("POST", /\/merge$/);
    expect(merges).toHaveLength(1);
    expect(merges[0].path).toBe("/api/v1/contacts/c-ada-2/merge");
    expect(merges[0].body).toEqual({ other_id: "c-ada" });
    expect(merges[0].headers.get("If-Match")).toBe('"3"');
    expect(screen.queryByRole("region", { name: /Same email/ })).not.toBeInTheDocument();
    expect(screen.getByRole("region", { name: /Same phone/ })).toBeInTheDocument();
    // The Merge button went with its pair: the keyboard lands on Undo.
    expect(within(status).getByRole("button", { name: "Undo" })).toHaveFocus();

    await userEvent.click(within(status).getByRole("button", { name: "Undo" }));
    await within(status).findByText("Merge undone: Ada Lovelace is a separate contact again.");
    expect(api.find("POST", "/api/v1/merges/m-1/undo")).toHaveLength(1);
    expect(await pairRegion(/Same email/)).toBeInTheDocument();
  });

  it("cancels a merge with Escape and sends nothing", async () => {
    const api = installFakeApi({ ...baseRoutes, ...duplicatesServer([emailPair]).routes });
    await signIn();
    renderApp("/contacts/duplicates");
    const pair = await pairRegion(/Same email/);
    const merge = within(pair).getByRole("button", { name: "Merge" });
    await userEvent.click(merge);
    expect(within(pair).getByRole("radio", { name: /Ada Lovelace/ })).toHaveFocus();
    await userEvent.keyboard("{Escape}");
    expect(within(pair).queryByRole("form")).not.toBeInTheDocument();
    expect(merge).toHaveFocus();
    expect(merge).toHaveAttribute("aria-expanded", "false");
    expect(api.find("POST", /\/merge$/)).toHaveLength(0);
  });

  it("names a same-name pair and every other signal the two share", async () => {
    const hannah = contact("c-h1", "Hannah", "Lange", { emails: ["h.lange@shop.example"], company_id: "co-1" });
    const hannahAgain = contact("c-h2", "Hannah", "Lange", { emails: ["hannah@home.example"], company_id: "co-1",
      created_at: "2026-12-01T10:00:00Z" });
    const server = duplicatesServer([{ reason: "name", value: "Hannah Lange", reasons: ["name", "company"],
      contacts: [hannah, hannahAgain] }]);
    installFakeApi({ ...baseRoutes, ...server.routes });
    await signIn();
    renderApp("/contacts/duplicates");
    const pair = await pairRegion(/Same name: Hannah Lange/);
    expect(within(pair).getByText("Same name and company")).toBeInTheDocument();
  });

  it("says so when there are no duplicates", async () => {
    installFakeApi({ ...baseRoutes, ...duplicatesServer([]).routes });
    await signIn();
    renderApp("/contacts/duplicates");
    expect(await screen.findByText("No possible duplicates.")).toBeInTheDocument();
  });

  it("shows a refused merge (403) and keeps the pair", async () => {
    installFakeApi({
      ...baseRoutes, ...duplicatesServer([emailPair]).routes,
      "POST /api/v1/contacts/:id/merge": () => problem(403, "Forbidden", "Only the owner may merge this contact."),
    });
    await signIn();
    renderApp("/contacts/duplicates");
    const pair = await pairRegion(/Same email/);
    await userEvent.click(within(pair).getByRole("button", { name: "Merge" }));
    const confirm = within(pair).getByRole("button", { name: "Merge into Ada Lovelace" });
    await userEvent.click(confirm);
    expect(await within(pair).findByRole("alert")).toHaveTextContent("You don't have permission to do that.");
    expect(confirm).toHaveFocus(); // the rep can try again or tab to Cancel without hunting for their place
    expect(screen.getByRole("region", { name: /Same email/ })).toBeInTheDocument();
  });

  it("explains an undo the server refuses (409)", async () => {
    const server = duplicatesServer([emailPair]);
    installFakeApi({
      ...baseRoutes, ...server.routes,
      "POST /api/v1/contacts/:id/merge": ({ path }) => {
        server.deleted.add("c-ada-2");
        return json({
          contact: { ...ada, version: 4 },
          merge: { id: "m-2", primary_id: path.split("/")[4], merged_id: "c-ada-2", moved: {}, merged_by_id: "u-rita",
            created_at: "2026-11-27T10:00:00Z", undone_at: null },
        });
      },
      "POST /api/v1/merges/m-2/undo": () =>
        problem(409, "This merge cannot be undone", "The contact changed after the merge; undoing would lose those changes."),
    });
    await signIn();
    renderApp("/contacts/duplicates");
    const pair = await pairRegion(/Same email/);
    await userEvent.click(within(pair).getByRole("button", { name: "Merge" }));
    await userEvent.click(within(pair).getByRole("button", { name: "Merge into Ada Lovelace" }));
    expect(await screen.findByText("No possible duplicates.")).toBeInTheDocument();
    const status = screen.getByRole("status");
    await userEvent.click(within(status).getByRole("button", { name: "Undo" }));
    expect(await within(status).findByRole("alert")).toHaveTextContent("The contact changed after the merge; undoing would lose those changes.");
    await waitFor(() => expect(within(status).getByRole("button", { name: "Undo" })).not.toHaveAttribute("aria-disabled", "true"));
  });

  it("shows a failed load with a way to try again", async () => {
    installFakeApi({ ...baseRoutes, "GET /api/v1/contacts/duplicates": () => problem(500, "Internal error") });
    await signIn();
    renderApp("/contacts/duplicates");
    expect(await screen.findByRole("alert")).toHaveTextContent("Something went wrong on our side.");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
