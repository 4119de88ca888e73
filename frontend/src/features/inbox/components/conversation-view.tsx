import { useEffect, useRef, type ReactNode } from "react";
import { Link } from "react-router";
import { ErrorMessage } from "@/components/ui/error-message";
import { QueryState } from "@/components/ui/query-state";
import { Spinner } from "@/components/ui/spinner";
import { useConversation } from "../api/get-conversation";
import { useMessages } from "../api/list-messages";
import { useUpdateConversation } from "../api/update-conversation";
import { counterpartAddress, counterpartName, undeliveredReply } from "../inbox-logic";
import { STATUS_LABELS, type Conversation, type Message } from "../types";
import { conversationTitle, isChat } from "../chat-logic";
import { useComposerMode } from "../use-reply-window";
import { ChatBubble } from "./chat-bubble";
import { ConversationActions } from "./conversation-actions";
import { MessageItem } from "./message-item";
import { ReplyComposer } from "./reply-composer";
import { ReplyWindowNotice } from "./reply-window-notice";
import { TemplateComposer } from "./template-composer";

interface Props {
  conversationId: string;
  meId: string | undefined;
  userNames: Record<string, string>;
  /** The list, with its filters: the way back on a phone, where list and conversation are separate views. */
  backTo: string;
  /** What goes beside the thread (the contact card), composed by the page. */
  side: (conversation: Conversation) => ReactNode;
  /** What goes between the thread and the composer (the AI's suggestions), composed by the page. */
  assist?: (conversation: Conversation) => ReactNode;
  /** Admins may have Meta's template list read again at once. */
  isAdmin?: boolean;
  /** Managers and admins: the active users a conversation can be handed to (reps take it themselves). */
  assignees?: { id: string; name: string }[];
  /** Managers and admins: "Wrong intent?" on customer messages. */
  canCorrectIntent?: boolean;
}

export function ConversationView({ conversationId, meId, userNames, backTo, side, assist, isAdmin = false, assignees, canCorrectIntent = false }: Props) {
  const conversation = useConversation(conversationId);
  const heading = useRef<HTMLHeadingElement>(null);
  useMarkRead(conversation.data);

  // Opening a conversation moves focus to it, so keyboard and screen reader users land on it.
  const loaded = Boolean(conversation.data);
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [conversationId, loaded]);

  return (
    <QueryState query={conversation} loadingLabel="Loading the conversation…">
      {(c) => (
        <div className="conversation-layout">
          <div className="conversation-main">
            <Link className="back-link" to={backTo}>← All conversations</Link>
            <header className="conversation-header">
              <h2 ref={heading} tabIndex={-1}>{conversationTitle(c)}</h2>
              <p className="muted">
                {counterpartName(c)} · {STATUS_LABELS[c.status]} ·{" "}
                {c.assignee_id ? `Assigned to ${c.assignee_id === meId ? "you" : userNames[c.assignee_id] ?? "a colleague"}` : "Unassigned"}
              </p>
            </header>
            <ConversationActions conversation={c} meId={meId} assignees={assignees} />
            <Thread conversationId={c.id} userNames={userNames} chat={isChat(c)} canCorrectIntent={canCorrectIntent} />
            {assist?.(c)}
            <ChatAwareComposer conversation={c} isAdmin={isAdmin} />
          </div>
          <aside className="conversation-side" aria-label="Contact">{side(c)}</aside>
        </div>
      )}
    </QueryState>
  );
}

/** The composer Meta's rules allow now: free text; on Messenger past 24 hours a human agent's reply; on WhatsApp
 * past 24 hours an approved template; or nothing, with the reason. */
function ChatAwareComposer({ conversation, isAdmin }: { conversation: Conversation; isAdmin: boolean }) {
  const mode = useComposerMode(conversation);
  const { id, channel_id: channelId } = conversation;
  // A Messenger id is no address a rep can read: the reply goes to the person, by name when known.
  const to = conversation.channel_kind === "messenger" ? counterpartName(conversation) : counterpartAddress(conversation);
  if (mode.kind === "free") return <ReplyComposer conversationId={id} to={to} />;
  const notice = <ReplyWindowNotice kind={conversation.channel_kind ?? ""} lastInboundAt={conversation.last_inbound_at} mode={mode} />;
  if (mode.kind === "template") return <TemplateComposer conversationId={id} channelId={channelId} to={to} notice={notice} canRefresh={isAdmin} />;
  return mode.kind === "human-agent"
    ? <ReplyComposer conversationId={id} to={to} note={notice} />
    : <ReplyComposer conversationId={id} to={to} closedReason={notice} />;
}

function Thread({ conversationId, userNames, chat, canCorrectIntent }: {
  conversationId: string; userNames: Record<string, string>; chat: boolean; canCorrectIntent: boolean;
}) {
  const messages = useMessages(conversationId);
  if (messages.isPending) return <Spinner label="Loading messages…" />;
  if (messages.error) return <ErrorMessage error={messages.error} onRetry={() => messages.refetch()} />;
  const items = messages.data.pages.flatMap((p) => p.items);
  return (
    <section className={chat ? "thread thread-chat" : "thread"} aria-label="Messages">
      {items.length === 0 && <p className="muted">No messages in this conversation.</p>}
      {items.map((m) => {
        const names = { authorName: m.author_id ? userNames[m.author_id] : undefined,
          resentByName: m.resent_by_id ? userNames[m.resent_by_id] : undefined };
        return chat ? <ChatBubble key={m.id} message={m} {...names} /> : <MessageItem key={m.id} message={m} {...names} canCorrectIntent={canCorrectIntent} />;
      })}
      {/* Only with the whole thread loaded is its last reply of ours the newest. */}
      <UndeliveredNotice message={messages.hasNextPage ? null : undeliveredReply(items)} />
      {messages.hasNextPage && (
        <button type="button" className="button button-secondary" disabled={messages.isFetchingNextPage}
          onClick={() => messages.fetchNextPage()}>
          {messages.isFetchingNextPage ? "Loading…" : "Show later messages"}
        </button>
      )}
    </section>
  );
}

/** Said at the end of the thread, by the composer: a failed reply's grey status alone is easy to miss. */
function UndeliveredNotice({ message }: { message: Message | null }) {
  if (!message) return null;
  return (
    <p className="notice notice-error">
      <strong>Your last reply did not reach the customer</strong> ({message.failure_reason || "no reason given"}). They are
      still waiting: send it again, answer again below, or reach them another way.
    </p>
  );
}

/** Opening a conversation with unread messages marks them read, once per new arrival. */
function useMarkRead(conversation: Conversation | undefined) {
  const update = useUpdateConversation(conversation?.id ?? "");
  const marked = useRef("");
  const mark = update.mutate;
  useEffect(() => {
    if (!conversation || conversation.unread_count === 0) return;
    const key = `${conversation.id}:${conversation.last_message_at}`;
    if (marked.current === key) return;
    marked.current = key;
    mark({ read: true });
  }, [conversation, mark]);
}
