import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, problem, TOKENS } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";

const emptyTasks = { "GET /api/v1/activities/mine": () => json({ overdue: [], today: [], upcoming: [] }) };

describe("signing in", () => {
  it("asks for email and password, says plainly when they are wrong, then opens the page asked for", async () => {
    const api = installFakeApi({
      ...baseRoutes,
      ...emptyTasks,
      "POST /api/v1/auth/login": ({ body }) =>
        (body as { password: string }).password === "right-password"
          ? json(TOKENS)
          : problem(401, "Not authenticated", "The email or password is not right."),
    });
    renderApp("/tasks");
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText("Email"), "rita.rep@example.com");
    await user.type(screen.getByLabelText("Password"), "wrong");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The email or password is not right.");

    await user.clear(screen.getByLabelText("Password"));
    await user.type(screen.getByLabelText("Password"), "right-password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("heading", { name: "My tasks" })).toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Main" });
    for (const name of ["Deals", "Contacts", "Companies", "Tasks"]) {
      expect(nav).toContainElement(screen.getByRole("link", { name }));
    }
    expect(api.find("GET", "/api/v1/activities/mine")[0].headers.get("Authorization")).toBe("Bearer access-1");
  });

  it("checks the form before calling the API", async () => {
    const api = installFakeApi(baseRoutes);
    renderApp("/login");
    await userEvent.click(await screen.findByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Enter your email address.")).toBeInTheDocument();
    expect(screen.getByText("Enter your password.")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/auth/login")).toHaveLength(0);
  });
});

describe("the session", () => {
  it("refreshes an expired access token silently and retries the request", async () => {
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/activities/mine": ({ headers }) =>
        headers.get("Authorization") === "Bearer access-2"
          ? json({ overdue: [], today: [], upcoming: [] })
          : problem(401, "Not authenticated", "Token expired"),
    });
    await signIn();
    renderApp("/tasks");
    expect(await screen.findByText("You're all caught up.")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/auth/refresh")).toHaveLength(1);
    expect(localStorage.getItem("mancrel.refresh_token")).toBe("refresh-2");
  });

  it("ends cleanly at the sign-in page when the refresh token is refused", async () => {
    installFakeApi({
      ...baseRoutes,
      "GET /api/v1/activities/mine": () => problem(401, "Not authenticated"),
      "POST /api/v1/auth/refresh": () => problem(401, "Not authenticated", "Please sign in again."),
    });
    await signIn();
    renderApp("/tasks");
    expect(await screen.findByText("Your session has ended. Please sign in again.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sign in" })).toBeInTheDocument();
    expect(localStorage.getItem("mancrel.refresh_token")).toBeNull();
  });

  it("signs out: tells the API, forgets the tokens and shows the sign-in page", async () => {
    const api = installFakeApi({ ...baseRoutes, ...emptyTasks });
    await signIn();
    renderApp("/tasks");
    await userEvent.click(await screen.findByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("button", { name: "Sign in" })).toBeInTheDocument();
    await waitFor(() => expect(api.find("POST", "/api/v1/auth/logout")).toHaveLength(1));
    expect(api.find("POST", "/api/v1/auth/logout")[0].body).toEqual({ refresh_token: "refresh-1" });
    expect(localStorage.getItem("mancrel.refresh_token")).toBeNull();
  });
});
