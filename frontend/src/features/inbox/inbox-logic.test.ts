import { describe, expect, it } from "vitest";
import { counterpartName, customSnoozeUntil, deliveryLabel, filtersFromParams, filtersToParams, hasQuotedText, listQuery, snoozeChoices, undeliveredReply, unreadBadge } from "./inbox-logic";
import type { Message } from "./types";

describe("inbox filters", () => {
  it("asks the API for my conversations as assignee_id=me and unassigned ones as none", () => {
    expect(listQuery({ view: "mine", sort: "activity" }).assignee_id).toBe("me");
    expect(listQuery({ view: "unassigned", sort: "activity" }).assignee_id).toBe("none");
    expect(listQuery({ view: "all", sort: "priority" })).toMatchObject({ assignee_id: undefined, sort: "priority" });
    expect(listQuery({ view: "all", sort: "activity", q: "   ", junk: false })).toMatchObject({ q: undefined, junk: undefined });
  });

  it("survives a trip through the URL, leaving defaults out of it", () => {
    const filters = { view: "mine" as const, sort: "priority" as const, status: "open" as const, intent: "pricing", junk: true };
    const params = filtersToParams(filters);
    expect(params).toEqual({ view: "mine", sort: "priority", status: "open", intent: "pricing", junk: "true" });
    expect(filtersFromParams(new URLSearchParams(params))).toEqual(filters);
    expect(filtersToParams({ view: "all", sort: "activity" })).toEqual({});
    expect(filtersFromParams(new URLSearchParams("view=bogus&sort=bogus"))).toEqual({ view: "all", sort: "activity" });
  });
});

describe("snoozing", () => {
  it("offers three hours from now, tomorrow at 9:00 and the next Monday at 9:00", () => {
    const wednesday = new Date(2026, 11, 9, 15, 30); // Wed 9 Dec 2026, 15:30 local
    const [later, tomorrow, monday] = snoozeChoices(wednesday).map((c) => c.until);
    expect(later.getTime() - wednesday.getTime()).toBe(3 * 3_600_000);
    expect([tomorrow.getDate(), tomorrow.getHours(), tomorrow.getMinutes()]).toEqual([10, 9, 0]);
    expect([monday.getDay(), monday.getDate(), monday.getHours()]).toEqual([1, 14, 9]);
  });

  it("on a Sunday, tomorrow morning and next Monday are one choice, not two with the same time", () => {
    const sunday = new Date(2026, 11, 6, 10, 0);
    const choices = snoozeChoices(sunday);
    expect(choices.map((c) => c.label)).toEqual(["In 3 hours", "Tomorrow morning"]);
    expect([choices[1].until.getDay(), choices[1].until.getDate(), choices[1].until.getHours()]).toEqual([1, 7, 9]);
  });

  it("takes a picked date and time only when it lies ahead", () => {
    const now = new Date(2026, 11, 6, 10, 0);
    expect(customSnoozeUntil("2026-12-08T14:30", now)).toEqual(new Date(2026, 11, 8, 14, 30));
    expect([customSnoozeUntil("2026-12-05T14:30", now), customSnoozeUntil("", now), customSnoozeUntil("soon", now)])
      .toEqual([null, null, null]);
  });

  it("on a Monday, 'next Monday' is a week away, not today", () => {
    const monday = new Date(2026, 11, 7, 8, 0);
    const next = snoozeChoices(monday)[2].until;
    expect(next.getDate()).toBe(14);
  });
});

describe("quoted email text", () => {
  it("is there only when the customer's own words are a part of the whole text", () => {
    expect(hasQuotedText({ own_words: "Any news?", text: "Any news?\n\n> On Monday you wrote:\n> Hi" })).toBe(true);
    expect(hasQuotedText({ own_words: "Hi there", text: "Hi there\n" })).toBe(false);
    expect(hasQuotedText({ own_words: "", text: "> only a quote" })).toBe(false);
  });
});

describe("the unread badge", () => {
  it("sums unread messages, hides at zero, caps at 99+", () => {
    expect(unreadBadge([{ unread_count: 2 }, { unread_count: 0 }, { unread_count: 1 }], false)).toBe("3");
    expect(unreadBadge([{ unread_count: 0 }], true)).toBeNull();
    expect(unreadBadge([{ unread_count: 60 }, { unread_count: 60 }], false)).toBe("99+");
  });

  it("adds + only when more pages exist and the last one loaded is still unread", () => {
    expect(unreadBadge([{ unread_count: 2 }, { unread_count: 1 }], true)).toBe("3+");
    expect(unreadBadge([{ unread_count: 2 }, { unread_count: 0 }], true)).toBe("2");
  });
});

describe("a reply that did not reach the customer", () => {
  const m = (id: string, direction: string, status: string) => ({ id, direction, status }) as Message;

  it("is our newest reply when it failed, whatever the customer wrote after it", () => {
    expect(undeliveredReply([m("1", "inbound", "received"), m("2", "outbound", "failed"), m("3", "inbound", "received")])?.id).toBe("2");
  });

  it("is none once a later reply of ours is sent or on its way, or when nothing of ours failed", () => {
    expect(undeliveredReply([m("1", "outbound", "failed"), m("2", "outbound", "queued")])).toBeNull();
    expect(undeliveredReply([m("1", "inbound", "received"), m("2", "outbound", "sent")])).toBeNull();
    expect(undeliveredReply([m("1", "inbound", "received")])).toBeNull();
  });
});

describe("delivery label", () => {
  it("shows the retry reason of a queued reply, and the plain status otherwise", () => {
    expect(deliveryLabel({ status: "queued", failure_reason: "will retry: SMTP 451: try again later" })).toBe("Retrying: SMTP 451: try again later");
    expect(deliveryLabel({ status: "queued", failure_reason: null })).toBe("Queued");
    expect(deliveryLabel({ status: "failed", failure_reason: "will retry: stale" })).toBe("Failed");
    expect(deliveryLabel({ status: "read", failure_reason: null }, { read: "Read" })).toBe("Read");
  });
});

describe("who a conversation is with", () => {
  it("names a contact without a name by something a rep can read, not a raw chat id", () => {
    const nameless = { id: "c-1", first_name: "", last_name: "", emails: [], owner_id: null };
    expect(counterpartName({ contact: nameless, counterpart: "6789012345674821", channel_kind: "messenger" })).toBe("Messenger customer …4821");
    expect(counterpartName({ contact: nameless, counterpart: "447700900123", channel_kind: "whatsapp" })).toBe("+44 7700 900123");
    expect(counterpartName({ contact: null, counterpart: "ann@example.com", channel_kind: "email" })).toBe("ann@example.com");
    expect(counterpartName({ contact: { ...nameless, first_name: "Ann" }, counterpart: "6789012345674821", channel_kind: "messenger" })).toBe("Ann");
  });
});
