import { ErrorMessage } from "@/components/ui/error-message";
import { Spinner } from "@/components/ui/spinner";
import { useConversationSuggestions } from "../api/list-suggestions";
import { useLiveSuggestions } from "../api/use-live-suggestions";
import { SuggestionCard } from "./suggestion-card";

/** The AI's suggestions for a conversation: the newest open, earlier ones folded away. */
export function SuggestionPanel({ conversationId }: { conversationId: string }) {
  useLiveSuggestions();
  const suggestions = useConversationSuggestions(conversationId);
  if (suggestions.isPending) return <Spinner label="Loading AI suggestions…" />;
  if (suggestions.error) return <ErrorMessage error={suggestions.error} onRetry={() => suggestions.refetch()} />;
  // Messages nobody needs to act on (spam, our own mail) have nothing to show.
  const items = suggestions.data.items.filter((s) => s.status !== "ignored");
  if (items.length === 0) return null;
  const [latest, ...earlier] = items;
  return (
    <section className="suggestion-panel" aria-label="AI suggestions">
      <SuggestionCard key={latest.id} suggestion={latest} />
      {earlier.length > 0 && (
        <details>
          <summary>Earlier suggestions ({earlier.length})</summary>
          {earlier.map((s) => <SuggestionCard key={s.id} suggestion={s} />)}
        </details>
      )}
    </section>
  );
}
