import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { ErrorMessage } from "@/components/ui/error-message";
import { useDebounced } from "@/lib/use-debounced";
import { useGlobalSearch } from "../api/search";
import { hitPath, isPaletteShortcut, moveActive, pointerMoved, rankHits, TYPE_LABELS, type Pointer } from "../search-logic";

/** Global search: Ctrl/Cmd-K (or the header button) opens it; arrows pick, Enter opens, Escape closes. */
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isPaletteShortcut(e)) return;
      e.preventDefault();
      opener.current = document.activeElement as HTMLElement | null;
      setOpen(true);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const close = () => {
    setOpen(false);
    opener.current?.focus?.(); // back where the user was
  };

  return (
    <>
      <button type="button" className="button button-ghost search-button" aria-keyshortcuts="Control+K Meta+K"
        onClick={(e) => { opener.current = e.currentTarget; setOpen(true); }}>
        Search <kbd aria-hidden="true">Ctrl K</kbd>
      </button>
      {open && <PaletteDialog onClose={close} />}
    </>
  );
}

function PaletteDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    // jsdom has no showModal; an open attribute is the same dialog without the backdrop.
    if (typeof d.showModal === "function") d.showModal();
    else d.setAttribute("open", "");
  }, []);
  return (
    <dialog ref={dialog} className="palette" aria-label="Search everything"
      onCancel={(e) => { e.preventDefault(); onClose(); }}
      onClick={(e) => { if (e.target === dialog.current) onClose(); }}>
      <PaletteBody onClose={onClose} />
    </dialog>
  );
}

function PaletteBody({ onClose }: { onClose: () => void }) {
  const [text, setText] = useState("");
  const [active, setActive] = useState(-1);
  const q = useDebounced(text.trim(), 200);
  const search = useGlobalSearch(q);
  const navigate = useNavigate();
  const listId = useId();
  const hits = useMemo(() => (q ? rankHits(search.data?.items ?? [], q) : []), [q, search.data]);
  // Where the mouse last was: a row only takes the highlight when the pointer really moves over
  // it, not when results appear under a pointer resting mid-screen (Enter would open that row).
  const pointer = useRef<Pointer | null>(null);

  useEffect(() => setActive(hits.length ? 0 : -1), [search.data, hits.length]);

  const go = (index: number) => {
    const hit = hits[index];
    if (!hit) return;
    onClose();
    navigate(hitPath(hit));
  };

  return (
    <div className="palette-body">
      <label htmlFor={`${listId}-input`} className="visually-hidden">Search contacts, companies, deals, products and messages</label>
      <input id={`${listId}-input`} type="text" autoFocus role="combobox" aria-expanded={hits.length > 0} aria-controls={listId} aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined} placeholder="Search everything…"
        value={text} onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (["ArrowDown", "ArrowUp", "Home", "End"].includes(e.key) && hits.length) {
            e.preventDefault();
            setActive(moveActive(e.key, active, hits.length));
          } else if (e.key === "Enter") {
            e.preventDefault();
            go(active);
          } else if (e.key === "Escape") {
            e.preventDefault();
            onClose();
          }
        }} />
      <p className="palette-status muted" role="status">
        {!q ? "Type to search contacts, companies, deals, products and messages, by name or by meaning." : search.isFetching && !search.data ? "Searching…" : search.data ? `${hits.length} result${hits.length === 1 ? "" : "s"}` : ""}
      </p>
      {search.error ? <ErrorMessage error={search.error} /> : null}
      <ul id={listId} role="listbox" aria-label="Results" className="palette-results">
        {hits.map((hit, i) => (
          <li key={`${hit.type}-${hit.id}`} id={`${listId}-${i}`} role="option" aria-selected={i === active}
            className={i === active ? "palette-hit palette-hit-active" : "palette-hit"}
            onMouseMove={(e) => {
              const now = { x: e.clientX, y: e.clientY };
              if (pointerMoved(pointer.current, now) && i !== active) setActive(i);
              pointer.current = now;
            }} onClick={() => go(i)}>
            <span className="badge">{TYPE_LABELS[hit.type] ?? hit.type}</span>
            <span className="palette-title">{hit.title}</span>
            {hit.snippet && <span className="palette-snippet muted">{hit.snippet}</span>}
          </li>
        ))}
      </ul>
      <p className="palette-help muted"><kbd>↑</kbd> <kbd>↓</kbd> to move, <kbd>Enter</kbd> to open, <kbd>Esc</kbd> to close</p>
    </div>
  );
}
