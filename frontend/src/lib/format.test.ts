import { describe, expect, it } from "vitest";
import { formatConfidence, formatPhone, plural } from "./format";
import { wroteAgo } from "../features/inbox/chat-logic";

describe("plural", () => {
  it("uses the singular for exactly one and the plural otherwise", () => {
    expect([plural(0, "conversation"), plural(1, "conversation"), plural(2, "conversation")])
      .toEqual(["0 conversations", "1 conversation", "2 conversations"]);
    expect(plural(1, "call, meeting or note", "calls, meetings or notes")).toBe("1 call, meeting or note");
  });
});

describe("wroteAgo", () => {
  const now = new Date("2026-12-06T12:00:00Z");
  it("says how long ago the customer wrote without '0 hours' or '1 days'", () => {
    expect([
      wroteAgo("2026-12-06T11:40:00Z", now), wroteAgo("2026-12-06T11:00:00Z", now),
      wroteAgo("2026-12-06T07:00:00Z", now), wroteAgo("2026-12-03T12:00:00Z", now),
    ]).toEqual(["less than an hour ago", "an hour ago", "5 hours ago", "3 days ago"]);
  });
});

describe("formatConfidence", () => {
  it("never shows a confidence as reaching a threshold it missed", () => {
    expect([formatConfidence(0.899), formatConfidence(0.89999), formatConfidence(0.9), formatConfidence(0.9996), formatConfidence(0.5)])
      .toEqual(["89.9%", "89.9%", "90%", "99.9%", "50%"]);
  });
});

describe("formatPhone", () => {
  it("groups an international number after its country code, and leaves anything else alone", () => {
    expect([formatPhone("447700900123"), formatPhone("+4915112345678"), formatPhone("14155550100"), formatPhone("35312345678")])
      .toEqual(["+44 7700 900123", "+49 1511 2345678", "+1 415 555 0100", "+353 1234 5678"]);
    expect([formatPhone("ann@example.com"), formatPhone("1234"), formatPhone("12345678901234567")])
      .toEqual(["ann@example.com", "1234", "12345678901234567"]);
  });
});
