import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { baseRoutes, installFakeApi, json, ME } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";

const ADMIN = { ...ME, id: "u-ada", email: "admin@example.com", full_name: "Ada Admin", role: "admin" };
const letter = (id: string, extra: Record<string, unknown> = {}) => ({
  id, task_id: `t-${id}`, task_name: "ai.process_message", kwargs: { message_id: "m-1" }, error: "connection refused", error_type: "ConnectionError",
  attempts: 5, first_failed_at: "2026-12-05T08:00:00Z", last_failed_at: "2026-12-05T09:00:00Z", status: "pending", ...extra,
});
const admin = (routes: Parameters<typeof installFakeApi>[0]) => installFakeApi({ ...baseRoutes, "GET /api/v1/users/me": () => json(ADMIN), ...routes });

describe("Settings > Dead letters", () => {
  it("inspects a failed job, replays one and discards another", async () => {
    let letters = [letter("d-1"), letter("d-2", { task_name: "catalog.apply_event" })];
    const api = admin({
      "GET /api/v1/dead-letters": () => json({ items: letters, next_cursor: null }),
      "GET /api/v1/dead-letters/d-1": () => json({ ...letter("d-1"), traceback: "Traceback (most recent call last):\n  boom" }),
      "POST /api/v1/dead-letters/d-1/replay": () => {
        letters = letters.filter((l) => l.id !== "d-1");
        return json({ ...letter("d-1", { status: "replayed" }), traceback: "" });
      },
      "DELETE /api/v1/dead-letters/d-2": () => {
        letters = letters.filter((l) => l.id !== "d-2");
        return { status: 204 };
      },
    });
    vi.spyOn(window, "confirm").mockReturnValue(true);
    await signIn();
    renderApp("/settings/dead-letters");
    const first = (await screen.findByText("ai.process_message")).closest("li") as HTMLElement;
    expect(first).toHaveTextContent("ConnectionError: connection refused");
    await userEvent.click(within(first).getByRole("button", { name: "Inspect" }));
    expect(await within(first).findByText(/boom/)).toBeInTheDocument();
    await userEvent.click(within(first).getByRole("button", { name: "Replay" }));
    expect(await screen.findByText("Replayed ai.process_message.")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText("ai.process_message")).not.toBeInTheDocument());
    const second = screen.getByText("catalog.apply_event").closest("li") as HTMLElement;
    await userEvent.click(within(second).getByRole("button", { name: "Discard" }));
    expect(await screen.findByText("No dead letters.")).toBeInTheDocument();
    expect(api.find("DELETE", "/api/v1/dead-letters/d-2")).toHaveLength(1);
  });

  it("replays every pending letter of one task", async () => {
    const api = admin({
      "GET /api/v1/dead-letters": () => json({ items: [letter("d-1")], next_cursor: null }),
      "POST /api/v1/dead-letters/replay": () => json({ replayed: 1, items: [letter("d-1")] }),
    });
    await signIn();
    renderApp("/settings/dead-letters");
    await screen.findByText("ai.process_message");
    await userEvent.type(screen.getByLabelText("Task"), "ai.process_message");
    await userEvent.click(screen.getByRole("button", { name: "Replay all matching" }));
    expect(await screen.findByText("Replayed 1 job.")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/dead-letters/replay")[0].body).toEqual({ task_name: "ai.process_message", error_contains: null, limit: 500 });
  });
});

describe("Settings > System status", () => {
  it("shows processes, queues, workers and what is wrong", async () => {
    admin({
      "GET /api/v1/system/status": () => json({
        queues: { celery: 3, inbox: null }, workers: [], outbox_backlog: 2, dead_letters: 4, redis_ok: true,
        schedules: [{ name: "outbox-relay", task: "worker.relay_outbox", every_seconds: 30, last_run_at: null }],
        processes: [{ name: "worker", state: "restarting", pid: null, restarts: 2, last_exit_code: 1, last_exit_at: "2026-12-05T09:00:00Z", next_restart_at: null }],
      }),
    });
    await signIn();
    renderApp("/settings/system");
    expect(await screen.findByText("No worker is running: nothing is processed.")).toBeInTheDocument();
    const processes = screen.getByRole("region", { name: "Processes" });
    expect(processes).toHaveTextContent("restarting");
    expect(processes).toHaveTextContent("(code 1)");
    expect(screen.getByRole("region", { name: "Queues" })).toHaveTextContent("inboxunknown");
    expect(screen.getByRole("region", { name: "Summary" })).toHaveTextContent("Dead letters4");
  });
});

describe("Settings > Users", () => {
  it("adds a user, changes a role and deactivates someone (never oneself)", async () => {
    let users = [{ ...ADMIN, is_active: true }, { ...ME, is_active: true }];
    const api = admin({
      "GET /api/v1/users": () => json({ items: users, next_cursor: null }),
      "POST /api/v1/users": ({ body }) => {
        const u = { ...ME, ...(body as object), id: "u-new", created_at: "2026-12-05T09:00:00Z" };
        users = [...users, u as typeof users[number]];
        return json(u, 201);
      },
      "PATCH /api/v1/users/u-rita": ({ body }) => {
        users = users.map((u) => (u.id === "u-rita" ? { ...u, ...(body as object) } : u));
        return json(users[1]);
      },
    });
    await signIn();
    renderApp("/settings/users");
    expect(await screen.findByLabelText("Role of admin@example.com")).toBeDisabled();
    await userEvent.selectOptions(screen.getByLabelText("Role of rita.rep@example.com"), "manager");
    expect(await screen.findByText("rita.rep@example.com is now manager.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Deactivate rita.rep@example.com" }));
    expect(await screen.findByText("rita.rep@example.com can no longer sign in.")).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/users/u-rita").map((c) => c.body)).toEqual([{ role: "manager" }, { is_active: false }]);

    await userEvent.click(screen.getByRole("button", { name: "New user" }));
    const form = screen.getByRole("form", { name: "New user" });
    await userEvent.type(within(form).getByLabelText("Email"), "sam@example.com");
    await userEvent.type(within(form).getByLabelText("First password"), "short");
    await userEvent.click(within(form).getByRole("button", { name: "Add user" }));
    expect(await within(form).findByText("At least 10 characters.")).toBeInTheDocument();
    await userEvent.type(within(form).getByLabelText("First password"), "-and-long-enough");
    await userEvent.click(within(form).getByRole("button", { name: "Add user" }));
    expect(await screen.findByText("Added sam@example.com.")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/users")[0].body).toEqual({ email: "sam@example.com", full_name: "", role: "rep", password: "short-and-long-enough", is_active: true });
  });

  it("sets a new password for someone else (not for oneself: that is Your account)", async () => {
    const api = admin({
      "GET /api/v1/users": () => json({ items: [{ ...ADMIN, is_active: true }, { ...ME, is_active: true }], next_cursor: null }),
      "PATCH /api/v1/users/u-rita": () => json({ ...ME, is_active: true }),
    });
    await signIn();
    renderApp("/settings/users");
    await userEvent.click(await screen.findByRole("button", { name: "Set password for rita.rep@example.com" }));
    expect(screen.queryByRole("button", { name: "Set password for admin@example.com" })).not.toBeInTheDocument();
    const form = screen.getByRole("form", { name: "New password for rita.rep@example.com" });
    await userEvent.type(within(form).getByLabelText("New password"), "river-stone-77");
    await userEvent.click(within(form).getByRole("button", { name: "Set password" }));
    expect(await screen.findByText("New password set for rita.rep@example.com. They were signed out everywhere.")).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/users/u-rita")[0].body).toEqual({ password: "river-stone-77" });
  });
});
