import { useId, useRef, useState } from "react";
import { DUPLICATE_REASON_LABELS, SHARED_SIGNAL_LABELS, type DuplicatePair, type MergeDone } from "../types";
import { DuplicateContactSummary } from "./duplicate-contact-summary";
import { MergeConfirm } from "./merge-confirm";

/** "name and company", "email, name and company". */
const wordList = (words: string[]) =>
  words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;

interface Props {
  pair: DuplicatePair;
  ownerNames: Record<string, string>;
  companyNames: Record<string, string>;
  onMerged: (done: MergeDone) => void;
}

/** Two contacts sharing an email, phone or name, side by side, with the merge that makes them one. */
export function DuplicatePairCard({ pair, ownerNames, companyNames, onMerged }: Props) {
  const headingId = useId();
  const confirmId = useId();
  const mergeButton = useRef<HTMLButtonElement>(null);
  const [confirming, setConfirming] = useState(false);
  const cancel = () => {
    setConfirming(false);
    mergeButton.current?.focus();
  };

  return (
    <section className="card duplicate-pair" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>{DUPLICATE_REASON_LABELS[pair.reason] ?? "Shared details"}: {pair.value}</h2>
        <button ref={mergeButton} type="button" className="button button-secondary" aria-expanded={confirming}
          aria-controls={confirming ? confirmId : undefined} aria-describedby={headingId}
          onClick={() => (confirming ? cancel() : setConfirming(true))}>
          Merge
        </button>
      </header>
      {/* Why else the API thinks so: a name alone is weaker than a name at the same company. */}
      {(pair.reasons?.length ?? 0) > 1 && (
        <p className="muted">Same {wordList((pair.reasons ?? []).map((r) => SHARED_SIGNAL_LABELS[r] ?? r))}</p>
      )}
      <div className="duplicate-pair-contacts">
        {pair.contacts.map((contact, index) => (
          <DuplicateContactSummary key={contact.id} contact={contact} age={index === 0 ? "older" : "newer"}
            shared={pair.value} ownerName={contact.owner_id ? ownerNames[contact.owner_id] : undefined}
            companyName={contact.company_id ? companyNames[contact.company_id] : undefined} />
        ))}
      </div>
      {confirming && (
        <div id={confirmId}>
          <MergeConfirm pair={pair} onMerged={onMerged} onCancel={cancel} />
        </div>
      )}
    </section>
  );
}
