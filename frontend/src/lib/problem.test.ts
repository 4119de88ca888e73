import { describe, expect, it } from "vitest";
import { ApiError, describeError } from "./problem";

describe("problem+json in plain words", () => {
  it("names the fields a 422 refused", () => {
    const error = new ApiError({
      status: 422, title: "Invalid input", detail: "body.emails.0: value is not a valid email",
      errors: [{ field: "emails.0", message: "value is not a valid email" }, { field: "first_name", message: "too long" }],
    });
    expect(describeError(error)).toBe("Emails: value is not a valid email. First name: too long");
  });

  it("keeps the API's own sentence for conflicts, and words the statuses people meet", () => {
    expect(describeError(new ApiError({ status: 409, detail: "Another contact already has ada@example.org." }))).toBe(
      "Another contact already has ada@example.org.",
    );
    expect(describeError(new ApiError({ status: 403 }))).toBe("You don't have permission to do that.");
    expect(describeError(new ApiError({ status: 429, retry_after: 30 }))).toBe("Too many attempts. Please wait 30 seconds and try again.");
    expect(describeError(new ApiError({ status: 502 }))).toMatch(/^Something went wrong on our side/);
    expect(describeError(new TypeError("Failed to fetch"))).toMatch(/can't reach Mancrel/);
  });
});
