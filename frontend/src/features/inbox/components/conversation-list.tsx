import type { KeyboardEvent } from "react";
import { NavLink } from "react-router";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { LoadMore } from "@/components/ui/load-more";
import { Spinner } from "@/components/ui/spinner";
import { formatDateTime } from "@/lib/format";
import { useConversations } from "../api/list-conversations";
import { counterpartName, intentLabel, isSnoozed } from "../inbox-logic";
import type { Conversation, InboxFilters } from "../types";
import { CHANNEL_NAMES, conversationTitle, isChat } from "../chat-logic";

interface Props {
  filters: InboxFilters;
  /** Where a conversation opens, keeping the list's filters in the URL. */
  linkTo: (conversation: Conversation) => string;
}

export function ConversationList({ filters, linkTo }: Props) {
  const list = useConversations(filters);
  if (list.isPending) return <Spinner label="Loading conversations…" />;
  if (list.error) return <ErrorMessage error={list.error} onRetry={() => list.refetch()} />;
  const items = list.data.pages.flatMap((p) => p.items);
  if (items.length === 0) {
    const narrowed = filters.view !== "all" || filters.status || filters.intent || filters.priority || filters.q || filters.channel_id;
    return (
      <EmptyState title={filters.junk ? "No automated mail." : narrowed ? "No conversations match." : "No conversations yet."}>
        {narrowed ? <p>Try fewer filters.</p> : <p>Customer messages appear here as they arrive.</p>}
      </EmptyState>
    );
  }
  return (
    <>
      <ul className="conversation-list" aria-label="Conversations" aria-busy={list.isFetching} onKeyDown={moveFocus}>
        {items.map((c) => <ConversationRow key={c.id} conversation={c} to={linkTo(c)} />)}
      </ul>
      <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onLoadMore={() => list.fetchNextPage()} />
    </>
  );
}

/** Up and down arrows step through the conversations; Enter opens the focused one (it is a link). */
function moveFocus(event: KeyboardEvent<HTMLUListElement>) {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const links = Array.from(event.currentTarget.querySelectorAll<HTMLAnchorElement>("a.conversation-row"));
  const index = links.indexOf(document.activeElement as HTMLAnchorElement);
  if (index < 0) return;
  const next = links[index + (event.key === "ArrowDown" ? 1 : -1)];
  if (!next) return;
  event.preventDefault(); // the page would scroll otherwise
  next.focus();
}

function ConversationRow({ conversation: c, to }: { conversation: Conversation; to: string }) {
  const unread = c.unread_count > 0;
  const name = counterpartName(c);
  return (
    <li>
      <NavLink to={to} className={({ isActive }) => `conversation-row${unread ? " conversation-unread" : ""}${isActive ? " active" : ""}`}>
        <span className="conversation-row-top">
          <span className="conversation-name">{name}</span>
          <time dateTime={c.last_message_at}>{formatDateTime(c.last_message_at)}</time>
        </span>
        <span className="conversation-subject">{conversationTitle(c)}</span>
        <span className="conversation-badges">
          {unread && <span className="badge badge-unread">{c.unread_count} unread</span>}
          {isChat(c) && <span className="badge">{CHANNEL_NAMES[c.channel_kind ?? ""]}</span>}
          {c.priority && c.priority !== "normal" && <span className={`badge badge-priority-${c.priority}`}>{intentLabel(c.priority)}</span>}
          {c.intent && <span className="badge">{intentLabel(c.intent)}</span>}
          {c.status !== "open" && <span className="badge">{c.status === "closed" ? "Closed" : "Waiting"}</span>}
          {isSnoozed(c) && <span className="badge">Snoozed</span>}
        </span>
      </NavLink>
    </li>
  );
}
