import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import { hitPath, isPaletteShortcut, moveActive } from "./search-logic";

describe("search logic", () => {
  it("opens on Ctrl-K and Cmd-K only", () => {
    expect(isPaletteShortcut({ key: "k", ctrlKey: true, metaKey: false, altKey: false })).toBe(true);
    expect(isPaletteShortcut({ key: "K", ctrlKey: false, metaKey: true, altKey: false })).toBe(true);
    expect(isPaletteShortcut({ key: "k", ctrlKey: false, metaKey: false, altKey: false })).toBe(false);
    expect(isPaletteShortcut({ key: "k", ctrlKey: true, metaKey: false, altKey: true })).toBe(false);
  });

  it("moves through the results, wrapping at the ends", () => {
    expect([moveActive("ArrowDown", 2, 3), moveActive("ArrowUp", 0, 3), moveActive("End", 0, 3), moveActive("Home", 2, 3), moveActive("ArrowDown", -1, 0)]).toEqual([0, 2, 2, 0, -1]);
  });

  it("opens contacts on their page and products in the catalogue", () => {
    expect(hitPath({ type: "contact", id: "c-1", title: "Ada" })).toBe("/contacts/c-1");
    expect(hitPath({ type: "product", id: "p-1", title: "Rain Jacket" })).toBe("/catalog?q=Rain%20Jacket");
    expect(hitPath({ type: "company", id: "co-1", title: "Acme" })).toBe("/companies/co-1");
    expect(hitPath({ type: "deal", id: "d-1", title: "Big order" })).toBe("/deals/d-1");
    expect(hitPath({ type: "message", id: "m-1", title: "Socks?", parent_id: "cv-1" })).toBe("/inbox/cv-1");
  });
});

describe("the command palette", () => {
  it("opens with Ctrl-K, finds by meaning, and opens the chosen result with the keyboard", async () => {
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/deals": () => json({ items: [], next_cursor: null }),
      "GET /api/v1/pipelines": () => json([]),
      "GET /api/v1/search": () => json({ items: [
        { type: "product", id: "p-2", title: "Packable Rain Jacket", snippet: "waterproof shell", score: 0.03 },
        { type: "contact", id: "c-1", title: "Ada Lovelace", snippet: "ada@example.org", score: 0.02 },
      ], next_cursor: null }),
      "GET /api/v1/contacts/c-1": () => problem(404, "Not Found"),
    });
    await signIn();
    const { router } = renderApp("/tasks");
    await screen.findByRole("button", { name: /Search/ });
    await userEvent.keyboard("{Control>}k{/Control}");
    const dialog = await screen.findByRole("dialog", { name: "Search everything" });
    const box = within(dialog).getByRole("combobox");
    expect(box).toHaveFocus();
    await userEvent.type(box, "something for the rain");
    const options = await within(dialog).findAllByRole("option");
    expect(options.map((o) => o.textContent)).toEqual(["ProductPackable Rain Jacketwaterproof shell", "ContactAda Lovelaceada@example.org"]);
    expect(options[0]).toHaveAttribute("aria-selected", "true");
    expect(box).toHaveAttribute("aria-activedescendant", options[0].id);
    expect(api.find("GET", "/api/v1/search").at(-1)?.query.get("types")).toBe("contact,company,deal,product,message");
    await userEvent.keyboard("{ArrowDown}");
    expect(within(dialog).getAllByRole("option")[1]).toHaveAttribute("aria-selected", "true");
    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect(router.state.location.pathname).toBe("/contacts/c-1"));
  });
});
