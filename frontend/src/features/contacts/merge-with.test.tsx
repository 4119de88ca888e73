import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import type { Contact } from "./types";

const contact = (id: string, first: string, last: string, extra: Partial<Contact> = {}): Contact => ({
  id, first_name: first, last_name: last, title: null, emails: [], phones: [],
  company_id: null, owner_id: "u-rita", lifecycle_stage: "lead", tags: [], source: null, whatsapp_id: null,
  messenger_psid: null, last_contacted_at: null, custom_fields: {}, version: 3,
  created_at: "2026-11-20T10:00:00Z", updated_at: "2026-11-26T10:00:00Z", deleted_at: null, ...extra,
});

// Finding M18: Laura wrote from a second address and became a second, newer contact.
const laura = contact("c-laura", "Laura", "Becker", { emails: ["laura.becker@web.example"], version: 7 });
const lauraAgain = contact("c-laura-2", "Laura", "Becker", {
  emails: ["laura.becker.privat@gmx.example"], created_at: "2026-12-05T10:00:00Z", version: 2,
});
const merged = { ...laura, emails: [...laura.emails, ...lauraAgain.emails], version: 8 };

const routes = (onMerge: (path: string, body: unknown) => void) => {
  let done = false;
  return {
  ...baseRoutes,
  "GET /api/v1/contacts/:id/timeline": () => json({ items: [], next_cursor: null }),
  "GET /api/v1/deals": () => json({ items: [], next_cursor: null }),
  "GET /api/v1/pipelines": () => json([]),
  "GET /api/v1/activities": () => json({ items: [], next_cursor: null }),
  "GET /api/v1/contacts": ({ query }: { query: URLSearchParams }) =>
    json({ items: query.get("q") === "laura" ? [laura, lauraAgain] : [], next_cursor: null }),
  "GET /api/v1/contacts/c-laura": () => json(done ? merged : laura),
  "GET /api/v1/contacts/c-laura-2": () => json(lauraAgain),
  "POST /api/v1/contacts/:id/merge": ({ path, body }: { path: string; body: unknown }) => {
    onMerge(path, body);
    done = true;
    const keptId = path.split("/")[4];
    const kept = keptId === "c-laura" ? merged : { ...lauraAgain, emails: merged.emails, version: 3 };
    return json({
      merge: { id: "m-1", primary_id: keptId, merged_id: keptId === "c-laura" ? "c-laura-2" : "c-laura", moved: {},
        merged_by_id: "u-rita", created_at: "2026-12-06T08:00:00Z", undone_at: null },
      contact: kept,
    });
  },
  };
};

async function pickTheOtherLaura() {
  await userEvent.click(await screen.findByRole("button", { name: "Merge with…" }));
  const picker = screen.getByRole("combobox", { name: "The other contact" });
  await userEvent.type(picker, "laura");
  const option = await screen.findByRole("option", { name: /laura\.becker@web\.example/ });
  // The page's own contact is not offered: a contact cannot be merged into itself.
  expect(screen.getAllByRole("option")).toHaveLength(1);
  await userEvent.click(option);
  return screen.findByRole("form", { name: "Merge these contacts" });
}

describe("merging from a contact's page", () => {
  it("finds the other record, keeps the older one by default and moves to it with Undo", async () => {
    const merges: [string, unknown][] = [];
    const api = installFakeApi(routes((path, body) => merges.push([path, body])));
    await signIn();
    renderApp("/contacts/c-laura-2");
    const confirm = await pickTheOtherLaura();
    expect(within(confirm).getByRole("radio", { name: /older record, created 20 Nov 2026/ })).toBeChecked();
    expect(confirm).toHaveTextContent("emails, phones, deals, activities and inbox conversations move over");
    await userEvent.click(within(confirm).getByRole("button", { name: "Merge into Laura Becker" }));

    await waitFor(() => expect(merges).toEqual([["/api/v1/contacts/c-laura/merge", { other_id: "c-laura-2" }]]));
    expect(api.find("POST", "/api/v1/contacts/c-laura/merge")[0].headers.get("If-Match")).toBe('"7"');
    // The page's contact was merged away: the kept one's page shows both addresses, and Undo.
    expect(await screen.findByText("laura.becker@web.example")).toBeInTheDocument();
    expect(screen.getByText("laura.becker.privat@gmx.example")).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: "Undo" })).toBeInTheDocument();
    expect(screen.getByText(/Merged Laura Becker into/)).toHaveTextContent("Merged Laura Becker into Laura Becker");
  });

  it("can keep the page's own contact instead, and stays on it", async () => {
    const merges: [string, unknown][] = [];
    installFakeApi(routes((path, body) => merges.push([path, body])));
    await signIn();
    renderApp("/contacts/c-laura-2");
    const confirm = await pickTheOtherLaura();
    await userEvent.click(within(confirm).getByRole("radio", { name: /newer record/ }));
    await userEvent.click(within(confirm).getByRole("button", { name: "Merge into Laura Becker" }));
    await waitFor(() => expect(merges).toEqual([["/api/v1/contacts/c-laura-2/merge", { other_id: "c-laura" }]]));
    expect(await screen.findByRole("button", { name: "Undo" })).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Merge these contacts" })).not.toBeInTheDocument();
  });

  it("sends nothing when the rep cancels", async () => {
    const merges: [string, unknown][] = [];
    installFakeApi(routes((path, body) => merges.push([path, body])));
    await signIn();
    renderApp("/contacts/c-laura-2");
    const confirm = await pickTheOtherLaura();
    await userEvent.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("form", { name: "Merge these contacts" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Merge with…" })).toHaveFocus();
    expect(merges).toEqual([]);
  });
});
