import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { FakeEventSource, installFakeEvents } from "@/test/fake-event-source";
import { baseRoutes, installFakeApi, json, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import { isQuietDay, overdueText, severityText, trendText } from "./home-logic";
import type { Opportunity, Today } from "./types";

const contact = (id: string, name: string) => ({ id, name, owner_id: "u-rita", company_id: null });
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

const opportunity = (id: string, title: string, extra: Partial<Opportunity> = {}): Opportunity => ({
  id, contact: contact("c-ada", "Ada Berg"), kind: "repeat_purchase", title, reasons: ["Buys every 30 days; last bought 34 days ago"],
  value: 180, currency: "EUR", product_id: "p-1", message_id: null, deal_id: null, due_at: null, status: "open", created_at: hoursAgo(2), ...extra,
});

const TODAY: Today = {
  leads: [{
    contact: contact("c-lena", "Lena Vogt"), score: 82, previous_score: 70, trend: 12, model_version: 3, computed_at: hoursAgo(1),
    reasons: [{ feature: "asked_price", points: 18, text: "Asked for a price 2 days ago" }, { feature: "opened", points: 6, text: "Replied within an hour" }],
  }],
  churn: [{
    id: "ch-1", contact: contact("c-otto", "Otto Kern"), kind: "silence", severity: 0.8, reasons: ["No order for 95 days (usually every 30)"],
    task_id: null, raised_at: hoursAgo(30),
  }],
  opportunities: [opportunity("o-1", "Merino socks again"), opportunity("o-2", "Trail poles upsell", { kind: "upsell", contact: contact("c-mo", "Mo Lind"), value: 12000, currency: "JPY" })],
  overdue_escalations: [{ id: "t-esc", subject: "Complaint: broken zip", due_at: hoursAgo(5), contact_id: "c-otto", escalation: true, conversation_id: "cv-9" }],
  overdue_tasks: [{ id: "t-1", subject: "Call back about the quote", due_at: hoursAgo(50), contact_id: null, escalation: false }],
};

describe("home", () => {
  it("shows today's leads with reasons, churn risks, opportunities and overdue work", async () => {
    installFakeApi({ ...baseRoutes, "GET /api/v1/insights/today": () => json(TODAY) });
    await signIn();
    renderApp("/");

    const leads = await screen.findByRole("region", { name: "Top leads" });
    expect(within(leads).getByRole("link", { name: "Lena Vogt" })).toHaveAttribute("href", "/contacts/c-lena");
    expect(within(leads).getByLabelText("Score 82 out of 100")).toBeInTheDocument();
    expect(within(leads).getByText("up 12")).toBeInTheDocument();
    expect(within(leads).getByRole("list", { name: "Why Lena Vogt scores 82" })).toHaveTextContent("Asked for a price 2 days ago");

    const churn = screen.getByRole("region", { name: "Churn risks" });
    expect(within(churn).getByText("High risk")).toBeInTheDocument();
    expect(within(churn).getByText("No order for 95 days (usually every 30)")).toBeInTheDocument();

    // Each opportunity's value in its own currency (a shop selling in several).
    const opportunities = screen.getByRole("region", { name: "Opportunities" });
    expect(within(opportunities).getByText("€180")).toBeInTheDocument();
    expect(within(opportunities).getByText("JP¥12,000")).toBeInTheDocument();

    const escalations = screen.getByRole("region", { name: "Overdue escalations" });
    // An escalation opens the conversation the customer waits in, not only their contact.
    expect(within(escalations).getByRole("link", { name: "Complaint: broken zip" })).toHaveAttribute("href", "/inbox/cv-9");
    expect(within(escalations).getByText("5 hours overdue")).toBeInTheDocument();
    expect(within(screen.getByRole("region", { name: "Overdue tasks" })).getByText("2 days overdue")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Home" })).toHaveAttribute("aria-current", "page");
  });

  it("creates the deal of an opportunity in one click and links to it; dismissing removes another", async () => {
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/insights/today": () => json(TODAY),
      "POST /api/v1/insights/opportunities/o-1/create-deal": () => json({ ...opportunity("o-1", "Merino socks again"), status: "converted", deal_id: "d-77" }, 201),
      "POST /api/v1/insights/opportunities/o-2/dismiss": () => json({ ...opportunity("o-2", "Trail poles upsell"), status: "dismissed" }),
    });
    await signIn();
    renderApp("/");
    const section = await screen.findByRole("region", { name: "Opportunities" });
    await userEvent.click(within(section).getByRole("button", { name: "Create deal: Merino socks again for Ada Berg" }));

    expect(await within(section).findByRole("link", { name: "Open the deal" })).toHaveAttribute("href", "/deals/d-77");
    expect(within(section).getByRole("status")).toHaveTextContent("Deal created for “Merino socks again”.");
    expect(within(section).queryByText("Merino socks again")).not.toBeInTheDocument();
    expect(api.find("POST", "/api/v1/insights/opportunities/o-1/create-deal")).toHaveLength(1);

    await userEvent.click(within(section).getByRole("button", { name: "Dismiss: Trail poles upsell for Mo Lind" }));
    expect(await within(section).findByText("No open opportunities.")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/insights/opportunities/o-2/dismiss")).toHaveLength(1);
  });

  it("says why a one-click deal was refused and keeps the opportunity", async () => {
    installFakeApi({
      ...baseRoutes,
      "GET /api/v1/insights/today": () => json(TODAY),
      "POST /api/v1/insights/opportunities/o-1/create-deal": () => problem(409, "Conflict", "This opportunity was already turned into a deal."),
    });
    await signIn();
    renderApp("/");
    const section = await screen.findByRole("region", { name: "Opportunities" });
    await userEvent.click(within(section).getByRole("button", { name: "Create deal: Merino socks again for Ada Berg" }));
    expect(await within(section).findByRole("alert")).toHaveTextContent("This opportunity was already turned into a deal.");
    expect(within(section).getByText("Merino socks again")).toBeInTheDocument();
  });

  it("refreshes when an escalation arrives live", async () => {
    const emit = installFakeEvents();
    let escalations = 0;
    installFakeApi({
      ...baseRoutes,
      "GET /api/v1/insights/today": () => json({ ...TODAY, overdue_escalations: TODAY.overdue_escalations.slice(0, escalations) }),
    });
    await signIn();
    renderApp("/");
    const section = await screen.findByRole("region", { name: "Overdue escalations" });
    expect(within(section).getByText("No customer is waiting on you.")).toBeInTheDocument();
    escalations = 1;
    await waitFor(() => expect(FakeEventSource.instances.length).toBeGreaterThan(0));
    emit("reply.escalated", { suggestion_id: "sg-9" });
    expect(await within(section).findByRole("link", { name: "Complaint: broken zip" })).toBeInTheDocument();
  });

  it("has an empty state for a quiet day and an error state with retry", async () => {
    let fail = true;
    installFakeApi({
      ...baseRoutes,
      "GET /api/v1/insights/today": () => fail ? problem(500, "Internal Server Error")
        : json({ leads: [], churn: [], opportunities: [], overdue_escalations: [], overdue_tasks: [] }),
    });
    await signIn();
    renderApp("/");
    expect(await screen.findByRole("alert")).toHaveTextContent("Something went wrong on our side.");
    fail = false;
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Nothing needs you today.")).toBeInTheDocument();
  });
});

describe("home wording", () => {
  it("words trends, severities and lateness", () => {
    expect(trendText(5)).toBe("up 5");
    expect(trendText(-3)).toBe("down 3");
    expect(trendText(0)).toBe("");
    expect(severityText(0.75)).toBe("High");
    expect(severityText(0.5)).toBe("Medium");
    expect(severityText(0.1)).toBe("Low");
    const now = new Date("2026-12-05T12:00:00Z");
    expect(overdueText("2026-12-02T11:00:00Z", now)).toBe("3 days overdue");
    expect(overdueText("2026-12-04T10:00:00Z", now)).toBe("1 day overdue");
    expect(overdueText("2026-12-05T09:00:00Z", now)).toBe("3 hours overdue");
    expect(overdueText("2026-12-05T11:30:00Z", now)).toBe("just overdue");
    expect(isQuietDay({ leads: [], churn: [], opportunities: [], overdue_escalations: [], overdue_tasks: [] })).toBe(true);
    expect(isQuietDay({ leads: [], churn: [], opportunities: [], overdue_escalations: [], overdue_tasks: [{}] })).toBe(false);
  });
});
