import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import { hitPath, isPaletteShortcut, moveActive, pointerMoved, rankHits } from "./search-logic";

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

describe("ranking and the pointer", () => {
  it("puts exact and prefix name matches above matches by meaning, keeping the API's order within", () => {
    const hits = [{ title: "Anna Müller" }, { title: "Hannah Lange" }, { title: "Laura Becker" }, { title: "laura" }, { title: "Anna Lauras" }];
    expect(rankHits(hits, "laura beck").map((h) => h.title)).toEqual(["Laura Becker", "Anna Müller", "Hannah Lange", "laura", "Anna Lauras"]);
    expect(rankHits(hits, "Laura").map((h) => h.title)).toEqual(["laura", "Laura Becker", "Anna Lauras", "Anna Müller", "Hannah Lange"]);
  });

  it("counts only a change of position as a move", () => {
    expect(pointerMoved(null, { x: 5, y: 5 })).toBe(false);
    expect(pointerMoved({ x: 5, y: 5 }, { x: 5, y: 5 })).toBe(false);
    expect(pointerMoved({ x: 5, y: 5 }, { x: 6, y: 5 })).toBe(true);
  });
});

describe("the command palette", () => {
  it("opens the top result on Enter although the resting pointer lies over another row", async () => {
    installFakeApi({
      ...baseRoutes,
      "GET /api/v1/search": () => json({ items: [
        { type: "contact", id: "c-9", title: "Anna Müller", snippet: "", score: 0.03 },
        { type: "contact", id: "c-1", title: "Laura Becker", snippet: "", score: 0.02 },
        { type: "contact", id: "c-8", title: "Anna Müller", snippet: "", score: 0.01 },
      ], next_cursor: null }),
      "GET /api/v1/contacts/c-1": () => problem(404, "Not Found"),
    });
    await signIn();
    const { router } = renderApp("/tasks");
    await screen.findByRole("button", { name: /Search/ });
    await userEvent.keyboard("{Control>}k{/Control}");
    const dialog = await screen.findByRole("dialog", { name: "Search everything" });
    await userEvent.type(within(dialog).getByRole("combobox"), "laura beck");
    const options = await within(dialog).findAllByRole("option");
    expect(options[0]).toHaveTextContent("Laura Becker");
    // The browser reports the pointer where it rests once rows appear under it: no highlight change.
    fireEvent.mouseOver(options[2], { clientX: 300, clientY: 200 });
    fireEvent.mouseMove(options[2], { clientX: 300, clientY: 200 });
    fireEvent.mouseMove(options[2], { clientX: 300, clientY: 200 });
    expect(options[0]).toHaveAttribute("aria-selected", "true");
    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect(router.state.location.pathname).toBe("/contacts/c-1"));
  });

  it("lets a moving mouse pick a row", async () => {
    installFakeApi({
      ...baseRoutes,
      "GET /api/v1/search": () => json({ items: [
        { type: "contact", id: "c-1", title: "Ada Lovelace", snippet: "", score: 0.03 },
        { type: "contact", id: "c-2", title: "Alan Turing", snippet: "", score: 0.02 },
      ], next_cursor: null }),
    });
    await signIn();
    renderApp("/tasks");
    await screen.findByRole("button", { name: /Search/ });
    await userEvent.keyboard("{Control>}k{/Control}");
    const dialog = await screen.findByRole("dialog", { name: "Search everything" });
    await userEvent.type(within(dialog).getByRole("combobox"), "a");
    const options = await within(dialog).findAllByRole("option");
    fireEvent.mouseMove(options[1], { clientX: 300, clientY: 200 });
    fireEvent.mouseMove(options[1], { clientX: 302, clientY: 204 });
    expect(within(dialog).getAllByRole("option")[1]).toHaveAttribute("aria-selected", "true");
  });

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
