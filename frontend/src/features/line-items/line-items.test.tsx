import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import { fromCents, itemErrors, lineTotal, toCents } from "./line-items-logic";
import type { LineItem, LineItemList } from "./types";

const stages = [{ id: "s-new", name: "New", position: 0, probability: 10, kind: "open" as const }];
const pipeline = { id: "p-1", name: "Sales", is_default: true, position: 0, stages };
const board = { pipeline_id: "p-1", name: "Sales", stages: [{ ...stages[0], count: 0, totals: [], cards: [], next_cursor: null }] };

const baseDeal = {
  id: "d-1", title: "Spring order", contact_id: null, company_id: null, pipeline_id: "p-1", stage_id: "s-new",
  amount: "0.00", amount_from_line_items: false, currency: "EUR", expected_close_date: null, owner_id: "u-rita", status: "open" as const,
  lost_reason: null, closed_at: null, stage_changed_at: "2026-11-20T10:00:00Z", custom_fields: {}, version: 1, deleted_at: null,
  created_at: "2026-11-20T10:00:00Z", updated_at: "2026-11-20T10:00:00Z",
};

const item = (id: string, title: string, quantity: number, unit_price: string, discount_percent = "0"): LineItem => ({
  id, deal_id: "d-1", product_id: "p-socks", variant_id: "v-m", sku: "SOCK-MER-M", title, quantity, unit_price, discount_percent,
  currency: "EUR", line_total: lineTotal(String(quantity), unit_price, discount_percent)!, position: 1,
  created_at: "2026-12-05T10:00:00Z", updated_at: "2026-12-05T10:00:00Z",
});

const product = {
  id: "p-boot", source_id: "src-1", external_id: "1", title: "Trail Boot", description: "", vendor: null, product_type: null, tags: [], images: [],
  status: "active", source_updated_at: "2026-12-05T09:00:00Z", updated_at: "2026-12-05T09:00:00Z",
  variants: [
    { id: "v-42", external_id: "42", sku: "BOOT-42", title: "EU 42", price: "129.90", compare_at_price: null, currency: "EUR", stock: 7, options: {} },
    { id: "v-43", external_id: "43", sku: "BOOT-43", title: "EU 43", price: "129.90", compare_at_price: null, currency: "EUR", stock: 0, options: {} },
  ],
};

/** A deal whose line items behave as the API's do: totals to the cent, and the amount following them when asked. */
function dealApi() {
  let deal = { ...baseDeal };
  let items: LineItem[] = [item("li-1", "Merino Hiking Socks", 3, "18.00")];
  const total = () => fromCents(items.reduce((sum, i) => sum + toCents(i.line_total)!, 0n));
  const list = (): LineItemList => ({ items, total: total(), currency: "EUR", amount_from_line_items: deal.amount_from_line_items });
  const follow = () => { if (deal.amount_from_line_items) deal = { ...deal, amount: total(), version: deal.version + 1 }; };
  const api = installFakeApi({
    ...baseRoutes,
    "GET /api/v1/pipelines": () => json([pipeline]),
    "GET /api/v1/pipelines/p-1/board": () => json(board),
    "GET /api/v1/deals/d-1": () => json(deal),
    "GET /api/v1/deals/d-1/timeline": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/custom-fields": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/deals/d-1/line-items": () => json(list()),
    "GET /api/v1/products": () => json({ items: [product], next_cursor: null }),
    "PATCH /api/v1/deals/d-1": ({ body }) => {
      deal = { ...deal, ...(body as object), version: deal.version + 1 };
      follow();
      return json(deal);
    },
    "POST /api/v1/deals/d-1/line-items": ({ body }) => {
      const b = body as { title: string | null; quantity: number; unit_price: string | null; discount_percent: string; variant_id: string | null };
      const created = { ...item(`li-${items.length + 1}`, b.title ?? "Trail Boot — EU 42", b.quantity, b.unit_price ?? "129.90", b.discount_percent), sku: b.variant_id ? "BOOT-42" : null };
      items = [...items, created];
      follow();
      return json(created, 201);
    },
    "PATCH /api/v1/deals/d-1/line-items/:id": ({ path, body }) => {
      const b = body as Partial<{ quantity: number; unit_price: string; discount_percent: string }>;
      items = items.map((i) => {
        if (!path.endsWith(i.id)) return i;
        const next = { ...i, ...b, unit_price: b.unit_price ?? i.unit_price, discount_percent: b.discount_percent ?? i.discount_percent };
        return { ...next, line_total: lineTotal(String(next.quantity), next.unit_price, next.discount_percent)! };
      });
      follow();
      return json(items.find((i) => path.endsWith(i.id)));
    },
    "DELETE /api/v1/deals/d-1/line-items/:id": ({ path }) => {
      items = items.filter((i) => !path.endsWith(i.id));
      follow();
      return { status: 204 };
    },
  });
  return api;
}

describe("deal line items", () => {
  it("edits a quantity and discount, adds a product picked by keyboard, and lets the total drive the amount", async () => {
    const api = dealApi();
    await signIn();
    renderApp("/deals/d-1");
    const drawer = await screen.findByRole("dialog", { name: "Spring order" });
    const card = await within(drawer).findByRole("region", { name: "Line items" });
    expect(await within(card).findByLabelText("Line items total")).toHaveTextContent("€54.00");

    const qty = within(card).getByLabelText("Quantity of Merino Hiking Socks");
    await userEvent.clear(qty);
    await userEvent.type(qty, "4{Enter}");
    const discount = within(card).getByLabelText("Discount of Merino Hiking Socks");
    await userEvent.clear(discount);
    await userEvent.type(discount, "12.5");
    expect(within(card).getByRole("row", { name: /Merino Hiking Socks/ })).toHaveTextContent("€63.00"); // previewed before saving
    await userEvent.tab();
    await waitFor(() => expect(within(card).getByLabelText("Line items total")).toHaveTextContent("€63.00"));
    expect(api.find("PATCH", "/api/v1/deals/d-1/line-items/li-1").map((c) => c.body)).toEqual([{ quantity: 4 }, { discount_percent: "12.5" }]);

    const picker = within(card).getByRole("combobox", { name: "Product" });
    await userEvent.type(picker, "boot");
    await within(card).findByRole("option", { name: /Trail Boot — EU 43/ });
    expect(within(card).getByRole("option", { name: /Trail Boot — EU 42/ })).toHaveTextContent("BOOT-42 · €129.90 · 7 in stock");
    await userEvent.keyboard("{ArrowDown}{ArrowUp}{Enter}");
    expect(picker).toHaveValue("Trail Boot — EU 42");
    await userEvent.clear(within(card).getByLabelText("Quantity"));
    await userEvent.type(within(card).getByLabelText("Quantity"), "2");
    await userEvent.click(within(card).getByRole("button", { name: "Add line item" }));
    await waitFor(() => expect(within(card).getByLabelText("Line items total")).toHaveTextContent("€322.80"));
    expect(api.find("POST", "/api/v1/deals/d-1/line-items")[0].body).toEqual({
      product_id: "p-boot", variant_id: "v-42", title: null, quantity: 2, unit_price: null, discount_percent: "0",
    });

    await userEvent.click(within(card).getByRole("checkbox", { name: "Total drives the deal's amount" }));
    await waitFor(() => expect(within(drawer).getByText("€323")).toBeInTheDocument()); // the deal's amount, from the API
    expect(api.find("PATCH", "/api/v1/deals/d-1")[0].body).toEqual({ amount_from_line_items: true });
    expect(within(card).getByRole("checkbox", { name: "Total drives the deal's amount" })).toBeChecked();

    await userEvent.click(within(card).getByRole("button", { name: "Remove Merino Hiking Socks" }));
    await waitFor(() => expect(within(card).getByLabelText("Line items total")).toHaveTextContent("€259.80"));
    await waitFor(() => expect(within(drawer).getByText("€260")).toBeInTheDocument());
  });

  it("asks for a price in the deal's currency for a custom item before sending", async () => {
    const api = dealApi();
    await signIn();
    renderApp("/deals/d-1");
    const card = await screen.findByRole("region", { name: "Line items" });
    await userEvent.type(await within(card).findByLabelText("Or a custom item"), "Fitting service");
    await userEvent.click(within(card).getByRole("button", { name: "Add line item" }));
    expect(await within(card).findByText("Give a price in the deal's currency.")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/deals/d-1/line-items")).toHaveLength(0);
  });
});

describe("line item money", () => {
  it("computes totals to the cent, half up, as the API stores them", () => {
    expect(toCents("18.5")).toBe(1850n);
    expect(toCents("18.505")).toBeNull();
    expect(fromCents(5n)).toBe("0.05");
    expect(lineTotal("3", "18.00", "0")).toBe("54.00");
    expect(lineTotal("1", "0.05", "50")).toBe("0.03"); // 0.025 rounds half up
    expect(lineTotal("3", "33.33", "33.33")).toBe("66.66"); // 99.99 x 0.6667 = 66.663...
    expect(lineTotal("1000000", "999999999999.99", "0")).toBe("999999999999990000.00"); // no float drift
    expect(lineTotal("0", "1", "0")).toBeNull();
    expect(lineTotal("1", "1", "101")).toBeNull();
    expect(itemErrors({ quantity: "1.5", unit_price: "abc", discount_percent: "120" })).toEqual({
      quantity: "A whole number from 1.", unit_price: "An amount like 18 or 18.50.", discount_percent: "A percentage from 0 to 100.",
    });
  });
});
