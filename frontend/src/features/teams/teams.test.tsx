import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, ME, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import { formToHours, hoursSummary, hoursToForm, intentOwners } from "./team-logic";
import type { Team } from "./types";

const ADMIN = { ...ME, id: "u-ada", email: "admin@example.com", full_name: "Ada Admin", role: "admin" };
const USERS = [
  { id: "u-ada", email: "admin@example.com", full_name: "Ada Admin", role: "admin" },
  { id: "u-mia", email: "mia@example.com", full_name: "Mia Manager", role: "manager" },
  { id: "u-rita", email: "rita@example.com", full_name: "Rita Chen", role: "rep" },
  { id: "u-sam", email: "sam@example.com", full_name: "Sam Rep", role: "rep" },
];
const INTENTS = ["availability", "pricing", "complaint", "order_status"].map((name) => ({ name, description: name }));
const support: Team = {
  id: "t-1", name: "Support", member_ids: ["u-rita"], intents: ["complaint"], manager_id: "u-mia", created_at: "2026-12-01T10:00:00Z",
  updated_at: "2026-12-01T10:00:00Z", working_hours: { timezone: "Europe/Berlin", days: { mon: [{ start: "09:00:00", end: "17:00:00" }], tue: [{ start: "09:00:00", end: "17:00:00" }] } },
};

function teamsApi() {
  let teams = [support];
  return installFakeApi({
    ...baseRoutes,
    "GET /api/v1/users/me": () => json(ADMIN),
    "GET /api/v1/users/directory": () => json(USERS),
    "GET /api/v1/ai/intents": () => json(INTENTS),
    "GET /api/v1/teams": () => json(teams),
    "POST /api/v1/teams": ({ body }) => {
      const b = body as Team;
      if (b.name === "Support") return problem(409, "Conflict", "A team named Support already exists.");
      const created = { ...b, id: "t-2", created_at: "2026-12-05T10:00:00Z", updated_at: "2026-12-05T10:00:00Z" };
      teams = [...teams, created];
      return json(created, 201);
    },
    "PATCH /api/v1/teams/t-1": ({ body }) => json((teams = teams.map((t) => (t.id === "t-1" ? { ...t, ...(body as object) } : t)))[0]),
    "DELETE /api/v1/teams/t-1": () => { teams = teams.filter((t) => t.id !== "t-1"); return { status: 204 }; },
  });
}

describe("Settings > Teams", () => {
  it("shows each team and creates one with members, intents, a manager and working hours", async () => {
    const api = teamsApi();
    await signIn();
    renderApp("/settings/teams");
    const card = await screen.findByRole("region", { name: "Support" });
    expect(within(card).getByText("Rita Chen")).toBeInTheDocument();
    expect(within(card).getByText("Mon–Tue 09:00–17:00 (Europe/Berlin)")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "New team" }));
    const form = screen.getByRole("form", { name: "New team" });
    await userEvent.type(within(form).getByLabelText("Name"), "Sales desk");
    await userEvent.click(within(form).getByRole("checkbox", { name: "Sam Rep" }));
    await userEvent.click(within(form).getByRole("checkbox", { name: "pricing" }));
    expect(within(form).getByRole("checkbox", { name: /complaint/ })).toBeDisabled(); // Support answers it
    await userEvent.selectOptions(within(form).getByLabelText("Manager"), "u-mia");
    await userEvent.click(within(form).getByRole("checkbox", { name: "Always working" }));
    await userEvent.clear(within(form).getByLabelText("Time zone"));
    await userEvent.type(within(form).getByLabelText("Time zone"), "Europe/Vienna");
    await userEvent.click(within(form).getByRole("checkbox", { name: "Friday" }));
    await userEvent.click(within(form).getByRole("button", { name: "Create team" }));

    expect(await screen.findByRole("region", { name: "Sales desk" })).toBeInTheDocument();
    const body = api.find("POST", "/api/v1/teams")[0].body as Team;
    expect(body).toMatchObject({ name: "Sales desk", member_ids: ["u-sam"], intents: ["pricing"], manager_id: "u-mia" });
    expect(Object.keys(body.working_hours!.days!)).toEqual(["mon", "tue", "wed", "thu"]);
    expect(body.working_hours).toMatchObject({ timezone: "Europe/Vienna", days: { mon: [{ start: "09:00:00", end: "17:00:00" }] } });
  });

  it("edits a team's hours, refuses an end before the start, and deletes after confirming", async () => {
    const api = teamsApi();
    await signIn();
    renderApp("/settings/teams");
    await userEvent.click(await screen.findByRole("button", { name: "Edit Support" }));
    const form = screen.getByRole("form", { name: "Edit Support" });
    await userEvent.clear(within(form).getByLabelText("Monday until"));
    await userEvent.type(within(form).getByLabelText("Monday until"), "08:00");
    await userEvent.click(within(form).getByRole("button", { name: "Save team" }));
    expect(await within(form).findByText("Monday: the start must be before the end.")).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/teams/t-1")).toHaveLength(0);
    await userEvent.click(within(form).getByRole("checkbox", { name: "Always working" }));
    await userEvent.click(within(form).getByRole("button", { name: "Save team" }));
    expect(await screen.findByText("Always working")).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/teams/t-1")[0].body).toMatchObject({ working_hours: null });

    await userEvent.click(screen.getByRole("button", { name: "Delete Support" }));
    await userEvent.click(screen.getByRole("button", { name: "Confirm delete" }));
    expect(await screen.findByText("No teams yet.")).toBeInTheDocument();
  });

  it("shows the API's refusal", async () => {
    teamsApi();
    await signIn();
    renderApp("/settings/teams");
    await userEvent.click(await screen.findByRole("button", { name: "New team" }));
    const form = screen.getByRole("form", { name: "New team" });
    await userEvent.type(within(form).getByLabelText("Name"), "Support");
    await userEvent.click(within(form).getByRole("button", { name: "Create team" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("A team named Support already exists.");
  });
});

describe("working hours", () => {
  it("round-trips the API's hours through the form and summarises them", () => {
    const form = hoursToForm(support.working_hours);
    expect(form.always).toBe(false);
    expect(form.days.mon).toEqual({ on: true, start: "09:00", end: "17:00" });
    expect(form.days.wed.on).toBe(false);
    expect(formToHours(form)).toEqual({ hours: support.working_hours });
    expect(formToHours({ ...form, always: true })).toEqual({ hours: null });
    expect(hoursSummary(null)).toBe("Always working");
    expect(hoursSummary({ timezone: "UTC", days: { mon: [{ start: "08:00:00", end: "12:00:00" }], wed: [{ start: "08:00:00", end: "12:00:00" }] } }))
      .toBe("Mon 08:00–12:00; Wed 08:00–12:00 (UTC)");
    expect(intentOwners([support, { ...support, id: "t-9", name: "Other", intents: ["pricing"] }], "t-9")).toEqual({ complaint: "Support" });
  });
});
