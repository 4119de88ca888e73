import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, problem, TOKENS } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";

describe("changing your own password", () => {
  it("is reached from your name, refuses a wrong current password at its field, then changes it", async () => {
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/activities/mine": () => json({ overdue: [], today: [], upcoming: [] }),
      "POST /api/v1/auth/password": ({ body }) => (body as { current_password: string }).current_password === "old-password-1"
        ? json({ ...TOKENS, refresh_token: "refresh-after-change" })
        : problem(422, "Current password is not right", "The current password is not right.",
          { errors: [{ field: "current_password", in: "body", message: "not right" }] }),
    });
    await signIn();
    renderApp("/tasks");
    await userEvent.click(await screen.findByRole("link", { name: "Rita Chen" }));
    const form = await screen.findByRole("form", { name: "Change your password" });

    await userEvent.type(within(form).getByLabelText("Current password"), "guess");
    await userEvent.type(within(form).getByLabelText("New password"), "heron-lantern-42");
    await userEvent.type(within(form).getByLabelText("New password again"), "heron-lantern-43");
    await userEvent.click(within(form).getByRole("button", { name: "Change password" }));
    expect(await within(form).findByText("The two new passwords differ.")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/auth/password")).toHaveLength(0);

    await userEvent.clear(within(form).getByLabelText("New password again"));
    await userEvent.type(within(form).getByLabelText("New password again"), "heron-lantern-42");
    await userEvent.click(within(form).getByRole("button", { name: "Change password" }));
    expect(await within(form).findByText("The current password is not right.")).toBeInTheDocument();
    expect(within(form).getByLabelText("Current password")).toHaveAttribute("aria-invalid", "true");

    await userEvent.clear(within(form).getByLabelText("Current password"));
    await userEvent.type(within(form).getByLabelText("Current password"), "old-password-1");
    await userEvent.click(within(form).getByRole("button", { name: "Change password" }));
    expect(await within(form).findByText(/Password changed\. You stay signed in here; your other devices have been signed out\./)).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/auth/password").at(-1)?.body).toEqual({ current_password: "old-password-1", new_password: "heron-lantern-42" });
    expect(localStorage.getItem("mancrel.refresh_token")).toBe("refresh-after-change");
    expect(within(form).getByLabelText("Current password")).toHaveValue("");
  });
});
