import { useId, useState, type FormEvent } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { formatDate, fullName } from "@/lib/format";
import { useMergeContacts } from "../api/merge-contacts";
import type { DuplicatePair, MergeDone } from "../types";

interface Props {
  pair: DuplicatePair;
  onMerged: (done: MergeDone) => void;
  onCancel: () => void;
}

const AGES = ["older", "newer"] as const;

/** The rep picks the contact to keep and reads what the merge will do before confirming it. */
export function MergeConfirm({ pair, onMerged, onCancel }: Props) {
  const radioName = useId();
  const merge = useMergeContacts();
  const [keepIndex, setKeepIndex] = useState(0); // the older record, unless the rep says otherwise
  const keep = pair.contacts[keepIndex];
  const other = pair.contacts[1 - keepIndex];
  const otherAge = AGES[1 - keepIndex];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (merge.isPending) return;
    try {
      const result = await merge.mutateAsync({ keep, other });
      onMerged({ mergeId: result.merge.id, kept: result.contact, merged: other });
    } catch {
      // merge.error is on screen.
    }
  };

  return (
    <form className="merge-confirm" aria-label="Merge these contacts" onSubmit={submit}
      onKeyDown={(event) => { if (event.key === "Escape") onCancel(); }}>
      <fieldset className="choice-group">
        <legend>Which contact do you keep?</legend>
        {pair.contacts.map((contact, index) => (
          <label key={contact.id} className="choice">
            <input type="radio" name={radioName} checked={keepIndex === index} autoFocus={keepIndex === index}
              onChange={() => setKeepIndex(index)} />
            <span>
              {fullName(contact)} <span className="muted">({AGES[index]} record, created {formatDate(contact.created_at)})</span>
            </span>
          </label>
        ))}
      </fieldset>
      <p>
        The {otherAge} record, {fullName(other)}, will be merged into {fullName(keep)}: its emails, phones, deals,
        activities and inbox conversations move over, empty details are filled in from it, and it is then deleted. You can undo this right after.
      </p>
      {merge.error && <ErrorMessage error={merge.error} />}
      <div className="button-row">
        {/* aria-disabled rather than disabled: a refused merge leaves the keyboard focus where it was. */}
        <button type="submit" className="button button-primary" aria-disabled={merge.isPending}>
          {merge.isPending ? "Merging…" : `Merge into ${fullName(keep)}`}
        </button>
        <button type="button" className="button button-ghost" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
