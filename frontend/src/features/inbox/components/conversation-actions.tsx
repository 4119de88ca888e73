import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { formatDateTime } from "@/lib/format";
import { messagesKey } from "../api/list-messages";
import { useUpdateConversation } from "../api/update-conversation";
import { customSnoozeUntil, isSnoozed, snoozeChoices } from "../inbox-logic";
import type { Conversation } from "../types";

interface Props {
  conversation: Conversation;
  meId: string | undefined;
  /** Given to managers and admins: hand the conversation to any of these active users. */
  assignees?: { id: string; name: string }[];
}

/** Triage: take it, hand it to someone (managers), hand it back, close or reopen, snooze until later. */
export function ConversationActions({ conversation: c, meId, assignees }: Props) {
  const update = useUpdateConversation(c.id);
  const [snoozing, setSnoozing] = useState(false);
  const [customUntil, setCustomUntil] = useState("");
  const [done, setDone] = useState("");
  const act = (body: Parameters<typeof update.mutate>[0], said: string) => {
    setDone("");
    update.mutate(body, { onSuccess: () => setDone(said) });
  };
  const snoozed = isSnoozed(c);
  const snoozeUntil = (until: Date) => {
    setSnoozing(false);
    setCustomUntil("");
    act({ snoozed_until: until.toISOString() }, `Snoozed until ${formatDateTime(until.toISOString())}.`);
  };
  const picked = customSnoozeUntil(customUntil, new Date());
  const client = useQueryClient();
  // The junk gate's verdict undone: the messages change too (no "Automated" badge, a form's sender is its Reply-To).
  const notJunk = () => {
    setDone("");
    update.mutate({ junk: false }, { onSuccess: () => {
      setDone("Moved to the inbox.");
      void client.invalidateQueries({ queryKey: messagesKey(c.id) });
    } });
  };

  return (
    <section className="conversation-actions" aria-label="Conversation actions">
      {c.is_junk && (
        <p className="junk-notice">
          Set aside as automated mail: no contact, no AI reply.{" "}
          <button type="button" className="button button-secondary" disabled={update.isPending} onClick={notJunk}>Not junk</button>
        </p>
      )}
      <div className="button-row">
        {c.assignee_id !== meId && meId && (
          <button type="button" className="button button-secondary" disabled={update.isPending}
            onClick={() => act({ assignee_id: meId }, "Assigned to you.")}>Assign to me</button>
        )}
        {c.assignee_id && (
          <button type="button" className="button button-secondary" disabled={update.isPending}
            onClick={() => act({ assignee_id: null }, "Unassigned.")}>Unassign</button>
        )}
        {assignees && assignees.length > 0 && (
          <label className="inline-field">
            Assign to
            <select value={c.assignee_id ?? ""} disabled={update.isPending}
              onChange={(e) => {
                const picked = assignees.find((a) => a.id === e.target.value);
                if (picked) act({ assignee_id: picked.id }, picked.id === meId ? "Assigned to you." : `Assigned to ${picked.name}.`);
              }}>
              <option value="" disabled>Pick a person…</option>
              {assignees.map((a) => <option key={a.id} value={a.id}>{a.id === meId ? `${a.name} (you)` : a.name}</option>)}
            </select>
          </label>
        )}
        {c.status === "closed" ? (
          <button type="button" className="button button-secondary" disabled={update.isPending}
            onClick={() => act({ status: "open" }, "Reopened.")}>Reopen</button>
        ) : (
          <button type="button" className="button button-secondary" disabled={update.isPending}
            onClick={() => act({ status: "closed" }, "Closed.")}>Close</button>
        )}
        <button type="button" className="button button-secondary" aria-expanded={snoozing} aria-controls={`snooze-${c.id}`}
          onClick={() => setSnoozing((v) => !v)}>Snooze</button>
        {snoozed && (
          <button type="button" className="button button-ghost" disabled={update.isPending}
            onClick={() => act({ snoozed_until: null }, "Snooze ended.")}>End snooze</button>
        )}
      </div>
      {snoozing && (
        <div id={`snooze-${c.id}`} className="snooze-choices button-row" role="group" aria-label="Snooze until">
          {snoozeChoices(new Date()).map((choice) => (
            <button key={choice.label} type="button" className="button button-ghost" disabled={update.isPending}
              onClick={() => snoozeUntil(choice.until)}>
              {choice.label} <span className="muted">({formatDateTime(choice.until.toISOString())})</span>
            </button>
          ))}
          <form className="inline-field" aria-label="Snooze until a date and time"
            onSubmit={(e) => { e.preventDefault(); if (picked) snoozeUntil(picked); }}>
            <label htmlFor={`snooze-at-${c.id}`}>Pick a date and time</label>
            <input id={`snooze-at-${c.id}`} type="datetime-local" value={customUntil} onChange={(e) => setCustomUntil(e.target.value)} />
            <button type="submit" className="button button-ghost" disabled={!picked || update.isPending}>Snooze until then</button>
          </form>
        </div>
      )}
      {snoozed && !done && <p className="muted">Snoozed until {formatDateTime(c.snoozed_until)}.</p>}
      <p role="status" className="live-line">{done}</p>
      {update.error && <ErrorMessage error={update.error} />}
    </section>
  );
}
