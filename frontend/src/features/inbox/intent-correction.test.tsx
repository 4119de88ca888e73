import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, ME, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import type { Conversation, Message } from "./types";

const MANAGER = { ...ME, id: "u-mia", email: "mia@example.com", full_name: "Mia Manager", role: "manager" };

const conversation: Conversation = {
  id: "cv-1", channel_id: "ch-1", contact_id: null, contact: null, counterpart: "ada@example.org", status: "open",
  assignee_id: null, subject: "Gaiters?", is_junk: false, last_message_at: "2026-12-04T10:00:00Z",
  last_inbound_at: "2026-12-04T10:00:00Z", unread_count: 0, snoozed_until: null, intent: "partnership", priority: "low",
  created_at: "2026-12-04T09:00:00Z",
};

const asked = (corrected: string | null): Message => ({
  id: "m-1", conversation_id: "cv-1", direction: "inbound", sender: "ada@example.org", sender_name: "Ada",
  recipients: { to: ["hello@shop.example"] }, subject: "Gaiters?", text: "Hello, do you sell gaiters?", html: null,
  own_words: "Hello, do you sell gaiters?", provider_message_id: "m-1@example.org", in_reply_to: null, references: [],
  is_junk: false, junk_reason: null, status: "received", failure_reason: null, author_id: null,
  occurred_at: "2026-12-04T10:00:00Z", sent_at: null, attachments: [],
  classification: { id: "cl-1", intent: "partnership", corrected_intent: corrected, confidence: 0.55, priority: "low",
    sentiment: "neutral", language: "en", near_limit: false, model_version: 3 },
});

function inboxApi(me: typeof ME) {
  let corrected: string | null = null;
  return installFakeApi({
    ...baseRoutes,
    "GET /api/v1/users/me": () => json(me),
    "GET /api/v1/ai/intents": () => json([{ name: "availability", description: "" }, { name: "partnership", description: "" }]),
    "GET /api/v1/pipelines": () => json([]),
    "GET /api/v1/suggestions": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/channels": () => problem(403, "Forbidden"),
    "GET /api/v1/conversations": () => json({ items: [conversation], next_cursor: null }),
    "GET /api/v1/conversations/cv-1": () => json(conversation),
    "PATCH /api/v1/conversations/cv-1": () => json(conversation),
    "GET /api/v1/conversations/cv-1/messages": () => json({ items: [asked(corrected)], next_cursor: null }),
    "PATCH /api/v1/ai/classifications/cl-1": ({ body }) => {
      corrected = (body as { intent: string }).intent;
      return json({ id: "cl-1", intent: "partnership", corrected_intent: corrected });
    },
  });
}

describe("correcting a message's intent", () => {
  it("lets a manager pick the right intent, says what happens next, and shows it corrected", async () => {
    const api = inboxApi(MANAGER);
    await signIn();
    renderApp("/inbox/cv-1");
    const msg = await screen.findByRole("article", { name: "From Ada" });
    expect(within(msg).getByText("Partnership")).toBeInTheDocument();
    await userEvent.click(within(msg).getByRole("button", { name: "Wrong intent?" }));
    await userEvent.selectOptions(await within(msg).findByLabelText("Right intent"), "availability");
    expect(await screen.findByText("Intent set to Availability. The AI learns it at its next retrain.")).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/ai/classifications/cl-1")[0].body).toEqual({ intent: "availability" });
    expect(await screen.findByText("Availability (corrected)")).toBeInTheDocument();
  });

  it("is not offered to a rep, whom the API refuses", async () => {
    inboxApi(ME);
    await signIn();
    renderApp("/inbox/cv-1");
    const msg = await screen.findByRole("article", { name: "From Ada" });
    expect(within(msg).queryByRole("button", { name: "Wrong intent?" })).not.toBeInTheDocument();
  });
});
