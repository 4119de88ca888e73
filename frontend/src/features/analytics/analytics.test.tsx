import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, ME } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import { activityRows, defaultRange, filterFromParams, formatDuration, funnelSteps, messagesByDay } from "./analytics-logic";
import type { ActivityData, AutomationData, MessagesData } from "./types";

const MANAGER = { ...ME, id: "u-mia", email: "mia@example.com", full_name: "Mia Manager", role: "manager" };
const range = { from_day: "2026-11-06", to_day: "2026-12-05" };
const funnel = { decided: 40, auto_sent: 12, approved: 10, edited: 5, rejected: 3, escalated: 6, pending: 4, shadow: 0, ignored: 0, send_failed: 2, reviewed: 18, precision: 15 / 18 };
const messages: MessagesData = {
  ...range, from_day: "2026-12-03", interval: "day", total: 5, by_channel: { email: 4, whatsapp: 1 }, by_intent: { availability: 3, unclassified: 2 },
  days: [{ day: "2026-12-03", channel: "email", intent: "availability", count: 3 }, { day: "2026-12-05", channel: "whatsapp", intent: null, count: 1 }, { day: "2026-12-05", channel: "email", intent: null, count: 1 }],
};

const activity: ActivityData = { ...range, reps: [
  { owner_id: "u-rita", name: "Rita Chen", total: 7, done: 5, by_type: { call: 4, meeting: 3 } },
  { owner_id: null, name: null, total: 2, done: 0, by_type: { task: 2 } },
] };

function analyticsApi() {
  return installFakeApi({
    ...baseRoutes,
    "GET /api/v1/users/me": () => json(MANAGER),
    "GET /api/v1/teams": () => json([{ id: "t-1", name: "North", manager_id: null, member_ids: [], intents: [], created_at: "2026-12-01T00:00:00Z" }]),
    "GET /api/v1/analytics/pipeline": () => json({ ...range, stages: [
      { pipeline_id: "p", pipeline_name: "Sales", stage_id: "s1", stage_name: "Lead", position: 0, currency: "EUR", deal_count: 3, amount: "3000", deal_count_change: 1, amount_change: "500" },
      { pipeline_id: "p", pipeline_name: "Sales", stage_id: "s2", stage_name: "Proposal", position: 1, currency: "EUR", deal_count: 2, amount: "8000", deal_count_change: 0, amount_change: "0" },
    ] }),
    "GET /api/v1/analytics/deals": () => json({ ...range, created: 9, won: 3, lost: 1, win_rate: 0.75, average_cycle_days: 12.4, won_amounts: [{ currency: "EUR", amount: "9000" }], months: [{ month: "2026-11", won: 2, amounts: [{ currency: "EUR", amount: "6000" }] }, { month: "2026-12", won: 1, amounts: [{ currency: "EUR", amount: "3000" }] }] }),
    "GET /api/v1/analytics/revenue-by-product": () => json({ ...range, items: [] }),
    "GET /api/v1/analytics/messages": () => json(messages),
    "GET /api/v1/analytics/response-times": () => json({ ...range, first_response: { count: 10, median_seconds: 1800, p90_seconds: 7200, mean_seconds: 3000 }, resolution: { count: 4, median_seconds: 86400, p90_seconds: 172800, mean_seconds: 100000 } }),
    "GET /api/v1/analytics/automation": () => json({ ...range, ...funnel, intents: [] }),
    "GET /api/v1/analytics/activity": () => json(activity),
  });
}

describe("analytics logic", () => {
  it("defaults to the last 30 days and reads filters from the URL", () => {
    expect(defaultRange(30, new Date("2026-12-05T15:00:00Z"))).toEqual({ from: "2026-11-06", to: "2026-12-05" });
    expect(filterFromParams(new URLSearchParams("from=2026-10-01&owner_id=u-1"), new Date("2026-12-05T15:00:00Z"))).toEqual({ from: "2026-10-01", to: "2026-12-05", owner_id: "u-1", team_id: undefined });
  });

  it("fills days without messages with zeros, per channel", () => {
    const { rows, channels } = messagesByDay(messages);
    expect(channels).toEqual(["email", "whatsapp"]);
    expect(rows).toEqual([{ day: "2026-12-03", email: 3, whatsapp: 0 }, { day: "2026-12-04", email: 0, whatsapp: 0 }, { day: "2026-12-05", email: 1, whatsapp: 1 }]);
  });

  it("keeps weekly and monthly periods as the API sends them, oldest first", () => {
    const weekly: MessagesData = { ...messages, from_day: "2026-06-01", interval: "week", days: [
      { day: "2026-11-30", channel: "email", intent: null, count: 2 }, { day: "2026-06-01", channel: "whatsapp", intent: null, count: 1 },
    ] };
    expect(messagesByDay(weekly).rows).toEqual([{ day: "2026-06-01", email: 0, whatsapp: 1 }, { day: "2026-11-30", email: 2, whatsapp: 0 }]);
  });

  it("gives each rep a row with a count per activity type, nobody's as Unassigned", () => {
    const { rows, types } = activityRows(activity);
    expect(types).toEqual(["call", "meeting", "task"]);
    expect(rows).toEqual([
      { rep: "Rita Chen", total: 7, done: 5, call: 4, meeting: 3, task: 0 },
      { rep: "Unassigned", total: 2, done: 0, call: 0, meeting: 0, task: 2 },
    ]);
  });

  it("words durations and orders the funnel", () => {
    expect([formatDuration(42), formatDuration(1800), formatDuration(5400), formatDuration(172800), formatDuration(null)]).toEqual(["42 s", "30 min", "1.5 h", "2 days", "—"]);
    expect(funnelSteps({ ...range, ...funnel, intents: [] } as AutomationData).map((s) => s.count)).toEqual([40, 12, 10, 5, 3, 6, 4, 2]);
  });
});

describe("the analytics page", () => {
  it("renders every chart with its figures, each with a table view; an empty one says so", async () => {
    analyticsApi();
    await signIn();
    renderApp("/analytics");
    // The route loads on first visit (its chart library is split off): allow for that.
    const deals = await screen.findByRole("region", { name: "Win rate" }, { timeout: 5_000 });
    expect(await within(deals).findByText(/Win rate 75%: 3 won, 1 lost, 9 created; average cycle 12 days/)).toBeInTheDocument();
    expect(await within(screen.getByRole("region", { name: "Revenue by product" })).findByText("Nothing in this range.")).toBeInTheDocument();
    const times = screen.getByRole("region", { name: "Response times" });
    await userEvent.click(await within(times).findByRole("button", { name: "Show table" }));
    expect(within(times).getByRole("row", { name: /First response 10 30 min 2 h 50 min/ })).toBeInTheDocument();
    const pipeline = screen.getByRole("region", { name: "Pipeline" });
    await userEvent.click(await within(pipeline).findByRole("button", { name: "Show table" }));
    expect(within(pipeline).getAllByRole("row").slice(1).map((r) => r.textContent)).toEqual(["Lead3€3,000€500", "Proposal2€8,000€0"]);
    const ai = screen.getByRole("region", { name: "AI automation" });
    expect(await within(ai).findByText(/40 messages decided; 12 sent automatically; 2 failed to reach the customer; precision of reviewed drafts 83.3%/)).toBeInTheDocument();
    await userEvent.click(within(ai).getByRole("button", { name: "Show table" }));
    expect(within(ai).getByRole("row", { name: "Failed to reach customer 2" })).toBeInTheDocument();
    expect(await within(screen.getByRole("region", { name: "Messages" })).findByText(/5 messages; by intent: availability 3, unclassified 2/)).toBeInTheDocument();
    const perDay = screen.getByRole("region", { name: "Messages" });
    await userEvent.click(within(perDay).getByRole("button", { name: "Show table" }));
    const series = within(perDay).getByRole("table", { name: "Messages per day and channel (quiet days left out)" });
    expect(within(series).getAllByRole("row").map((r) => r.textContent)).toEqual(["Dayemailwhatsapp", "2026-12-0330", "2026-12-0511"]);
    const reps = screen.getByRole("region", { name: "Rep activity" });
    expect(await within(reps).findByText(/9 activities logged, 5 done; busiest: Rita Chen \(7\)/)).toBeInTheDocument();
    await userEvent.click(within(reps).getByRole("button", { name: "Show table" }));
    expect(within(reps).getAllByRole("row").map((r) => r.textContent)).toEqual(["RepTotalDonecallmeetingtask", "Rita Chen75430", "Unassigned20002"]);
  });

  it("narrows every chart to one team and keeps the filter in the URL", async () => {
    const api = analyticsApi();
    await signIn();
    const { router } = renderApp("/analytics?from=2026-11-01&to=2026-11-30");
    await screen.findByRole("region", { name: "Win rate" }, { timeout: 5_000 });
    await waitFor(() => expect(screen.getByLabelText("Team")).toBeInTheDocument());
    await userEvent.selectOptions(screen.getByLabelText("Team"), "t-1");
    await waitFor(() => expect(api.find("GET", "/api/v1/analytics/automation").some((c) => c.query.get("team_id") === "t-1")).toBe(true));
    const call = api.find("GET", "/api/v1/analytics/deals").at(-1);
    expect([call?.query.get("from"), call?.query.get("to"), call?.query.get("team_id")]).toEqual(["2026-11-01", "2026-11-30", "t-1"]);
    expect(router.state.location.search).toContain("team_id=t-1");
  });

  it("shows a rep their own figures without owner or team filters", async () => {
    const api = installFakeApi({ ...baseRoutes });
    await signIn();
    renderApp("/analytics");
    expect(await screen.findByText("Your figures and unassigned ones", undefined, { timeout: 5_000 })).toBeInTheDocument();
    expect(screen.queryByLabelText("Owner")).not.toBeInTheDocument();
    expect(api.find("GET", "/api/v1/teams")).toHaveLength(0);
  });
});
