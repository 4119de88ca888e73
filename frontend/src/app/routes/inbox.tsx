import { useEffect, useState } from "react";
import { useParams, useSearchParams } from "react-router";
import { EmptyState } from "@/components/ui/empty-state";
import { useDirectory } from "@/features/auth/api/get-directory";
import { useMe } from "@/features/auth/api/get-me";
import { DealsOfRecord } from "@/features/deals/components/deals-of-record";
import { usePipelines } from "@/features/deals/api/get-pipelines";
import { useChannelNames } from "@/features/inbox/api/get-channel-names";
import { useIntents } from "@/features/inbox/api/get-intents";
import { ContactCard } from "@/features/inbox/components/contact-card";
import { ConversationFilters } from "@/features/inbox/components/conversation-filters";
import { ConversationList } from "@/features/inbox/components/conversation-list";
import { ConversationView } from "@/features/inbox/components/conversation-view";
import { filtersFromParams, filtersToParams } from "@/features/inbox/inbox-logic";
import type { InboxFilters } from "@/features/inbox/types";
import { SuggestionPanel } from "@/features/replies/components/suggestion-panel";
import { useDebounced } from "@/lib/use-debounced";

/** List and conversation side by side; on a phone, one at a time (the URL says which). */
export function InboxRoute() {
  const { conversationId } = useParams();
  const [params, setParams] = useSearchParams();
  const me = useMe();
  const directory = useDirectory();
  const intents = useIntents();
  const pipelines = usePipelines();
  const channels = useChannelNames();

  const [search, setSearch] = useState(params.get("q") ?? "");
  const q = useDebounced(search.trim());
  const filters: InboxFilters = { ...filtersFromParams(params), q: q || undefined };
  const setFilters = (next: InboxFilters) => setParams(filtersToParams({ ...next, q: search.trim() || undefined }), { replace: true });
  // Only a settled search goes into the URL (one history entry per pause, not per keystroke).
  useEffect(() => {
    if ((params.get("q") ?? "") !== q) setParams(filtersToParams({ ...filtersFromParams(params), q: q || undefined }), { replace: true });
  }, [q, params, setParams]);

  const query = params.toString() ? `?${params.toString()}` : "";
  const userNames = Object.fromEntries((directory.data ?? []).map((u) => [u.id, u.full_name || u.email]));
  const stages = (pipelines.data ?? []).flatMap((p) => p.stages);
  const people = (directory.data ?? []).map((u) => ({ id: u.id, name: u.full_name || u.email }));
  // The API lets managers and admins hand a conversation to anyone; a rep only takes it.
  const canHandOver = me.data?.role === "manager" || me.data?.role === "admin";

  return (
    <div className={`page page-wide inbox ${conversationId ? "inbox-showing-conversation" : "inbox-showing-list"}`}>
      <header className="page-header inbox-header">
        <h1>Inbox</h1>
      </header>
      <div className="inbox-panes">
        <section className="inbox-list-pane" aria-label="Conversation list">
          <ConversationFilters filters={filters} onChange={setFilters} search={search} onSearch={setSearch}
            intents={(intents.data ?? []).map((i) => i.name)}
            channels={channels.data?.map((c) => ({ id: c.id, name: c.name }))} people={people} />
          <ConversationList filters={filters} linkTo={(c) => `/inbox/${c.id}${query}`} />
        </section>
        <section className="inbox-conversation-pane" aria-label="Conversation">
          {conversationId ? (
            <ConversationView key={conversationId} conversationId={conversationId} meId={me.data?.id} userNames={userNames}
              backTo={`/inbox${query}`} isAdmin={me.data?.role === "admin"} assignees={canHandOver ? people : undefined}
              canCorrectIntent={canHandOver}
              assist={(c) => <SuggestionPanel conversationId={c.id} />}
              side={(c) => (
                <ContactCard conversation={c}
                  ownerName={c.contact?.owner_id ? userNames[c.contact.owner_id] : undefined}
                  deals={c.contact ? <DealsOfRecord filter={{ contact_id: c.contact.id }} stages={stages} /> : null} />
              )} />
          ) : (
            <EmptyState title="Pick a conversation">
              <p>Its messages, the customer's details and the reply box open here.</p>
            </EmptyState>
          )}
        </section>
      </div>
    </div>
  );
}
