import { useEffect, useRef } from "react";
import { Link } from "react-router";
import { ErrorMessage } from "@/components/ui/error-message";
import { fullName } from "@/lib/format";
import { useUndoMerge } from "../api/undo-merge";
import type { MergeDone } from "../types";

interface Props {
  done: MergeDone;
  onDismiss: () => void;
}

/**
 * "Merged X into Y" with Undo. It stays until dismissed or replaced by the next merge: a toast
 * that times out would take the Undo away from someone who reads or moves slowly.
 */
export function MergeNotice({ done, onDismiss }: Props) {
  const undo = useUndoMerge();
  const undoButton = useRef<HTMLButtonElement>(null);
  const dismissButton = useRef<HTMLButtonElement>(null);

  // The Merge button that had focus is gone with its pair; Undo is what the rep may want next.
  useEffect(() => undoButton.current?.focus(), []);
  useEffect(() => {
    if (undo.isSuccess) dismissButton.current?.focus();
  }, [undo.isSuccess]);

  const kept = <Link to={`/contacts/${done.kept.id}`}>{fullName(done.kept)}</Link>;
  return (
    <div className="notice merge-notice">
      {undo.isSuccess
        ? <p>Merge undone: {fullName(done.merged)} is a separate contact again.</p>
        : <p>Merged {fullName(done.merged)} into {kept}.</p>}
      <div className="button-row">
        {!undo.isSuccess && (
          // aria-disabled rather than disabled: a disabled button drops the keyboard focus.
          <button ref={undoButton} type="button" className="button button-secondary" aria-disabled={undo.isPending}
            onClick={() => { if (!undo.isPending) undo.mutate(done.mergeId); }}>
            {undo.isPending ? "Undoing…" : "Undo"}
          </button>
        )}
        <button ref={dismissButton} type="button" className="button button-ghost" onClick={onDismiss}>Dismiss</button>
      </div>
      {undo.error && <ErrorMessage error={undo.error} />}
    </div>
  );
}
