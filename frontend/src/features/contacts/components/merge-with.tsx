import { useQuery } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { useLocation, useNavigate } from "react-router";
import { Combobox, type ComboOption } from "@/components/ui/combobox";
import { ErrorMessage } from "@/components/ui/error-message";
import { Spinner } from "@/components/ui/spinner";
import { useContactPicker } from "../api/find-contacts";
import { contactQuery } from "../api/get-contact";
import type { Contact, DuplicatePair, MergeDone } from "../types";
import { MergeConfirm } from "./merge-confirm";
import { MergeNotice } from "./merge-notice";

/** Where a merge that deleted the page's own contact leaves its Undo: on the kept contact's page. */
interface MergedState {
  mergeDone?: MergeDone;
}

/**
 * "Merge with…" on a contact's page: the rep finds the other record of the same person (say, her
 * second address or her WhatsApp contact), reads what the merge keeps, and confirms. The older
 * record is offered as the one to keep, as on the duplicates screen.
 */
export function MergeWith({ contact }: { contact: Contact }) {
  const headingId = useId();
  const location = useLocation();
  const navigate = useNavigate();
  const openButton = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState<string | null>(null);
  const [picked, setPicked] = useState<ComboOption | null>(null);
  const [done, setDone] = useState<MergeDone | null>((location.state as MergedState | null)?.mergeDone ?? null);
  const found = useContactPicker(text ?? "", open && text !== null);
  const options = found.options.filter((o) => o.value !== contact.id);
  const other = useQuery({ ...contactQuery(picked?.value ?? ""), enabled: picked !== null });

  const close = () => {
    setOpen(false);
    setPicked(null);
    setText(null);
    openButton.current?.focus();
  };
  const merged = (result: MergeDone) => {
    close();
    if (result.kept.id === contact.id) setDone(result);
    // This page's contact is gone: carry on, Undo included, on the one it was merged into.
    else navigate(`/contacts/${result.kept.id}`, { state: { mergeDone: result } satisfies MergedState });
  };

  let pair: DuplicatePair | null = null;
  if (picked && other.data && other.data.id === picked.value) {
    const contacts = [contact, other.data].sort((a, b) => a.created_at.localeCompare(b.created_at));
    pair = { reason: "picked", value: "", contacts };
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>Same person?</h2>
        <button ref={openButton} type="button" className="button button-secondary" aria-expanded={open}
          onClick={() => (open ? close() : (setDone(null), setOpen(true)))}>
          Merge with…
        </button>
      </header>
      <div role="status">
        {done && <MergeNotice key={done.mergeId} done={done} onDismiss={() => setDone(null)} />}
      </div>
      {open && (
        <>
          <Combobox label="The other contact" placeholder="Search by name, email or phone" selected={picked}
            onSelect={setPicked} options={options} onSearch={setText} loading={found.loading} />
          {picked && other.isPending && <Spinner label="Loading the contact…" />}
          {picked && other.error && <ErrorMessage error={other.error} onRetry={() => other.refetch()} />}
          {pair && <MergeConfirm key={pair.contacts.map((c) => c.id).join(":")} pair={pair} onMerged={merged}
            onCancel={close} />}
        </>
      )}
    </section>
  );
}
