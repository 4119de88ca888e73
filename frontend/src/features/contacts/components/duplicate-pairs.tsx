import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { LoadMore } from "@/components/ui/load-more";
import { Spinner } from "@/components/ui/spinner";
import { useDuplicates } from "../api/list-duplicates";
import type { MergeDone } from "../types";
import { DuplicatePairCard } from "./duplicate-pair-card";
import { MergeNotice } from "./merge-notice";

interface Props {
  ownerNames: Record<string, string>;
  companyNames: Record<string, string>;
}

/** Every likely duplicate pair the rep can see, a page at a time, each one mergeable and undoable. */
export function DuplicatePairs({ ownerNames, companyNames }: Props) {
  const duplicates = useDuplicates();
  const [done, setDone] = useState<MergeDone | null>(null);

  let body;
  if (duplicates.isPending) body = <Spinner label="Looking for duplicates…" />;
  else if (duplicates.error) body = <ErrorMessage error={duplicates.error} onRetry={() => duplicates.refetch()} />;
  else {
    const pairs = duplicates.data.pages.flatMap((page) => page.items);
    body = pairs.length === 0
      ? (
        <EmptyState title="No possible duplicates.">
          <p>Contacts that share an email, a phone number (WhatsApp included) or a rare name show up here.</p>
        </EmptyState>
      )
      : (
        <>
          <ul className="duplicate-list">
            {pairs.map((pair) => (
              <li key={`${pair.reason}:${pair.value}:${pair.contacts.map((c) => c.id).join(":")}`}>
                <DuplicatePairCard pair={pair} ownerNames={ownerNames} companyNames={companyNames} onMerged={setDone} />
              </li>
            ))}
          </ul>
          <LoadMore hasMore={duplicates.hasNextPage} loading={duplicates.isFetchingNextPage}
            onLoadMore={() => duplicates.fetchNextPage()} />
        </>
      );
  }

  return (
    <>
      {/* Always in the page, so screen readers announce what appears in it. */}
      <div role="status">
        {done && <MergeNotice key={done.mergeId} done={done} onDismiss={() => setDone(null)} />}
      </div>
      {body}
    </>
  );
}
