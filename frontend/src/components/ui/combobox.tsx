import { useId, useState, type KeyboardEvent } from "react";

export interface ComboOption {
  value: string;
  label: string;
  /** A second line, e.g. an email or domain, to tell two of the same name apart. */
  detail?: string;
}

interface Props {
  label: string;
  /** What is picked now; shown in the box while it is not being typed in. */
  selected: ComboOption | null;
  onSelect: (option: ComboOption | null) => void;
  /** The options for the text typed so far (the caller searches, usually through the API). */
  options: ComboOption[];
  onSearch: (text: string) => void;
  loading?: boolean;
  error?: string;
  placeholder?: string;
}

/**
 * A searchable picker following the ARIA combobox pattern: type to search, Up/Down to move,
 * Enter to pick, Escape to close (or to clear what was typed), and a button to clear the choice.
 * The list is rendered only while open, so a closed picker is one text box for screen readers.
 */
export function Combobox({ label, selected, onSelect, options, onSearch, loading, error, placeholder }: Props) {
  const id = useId();
  const listId = `${id}-list`;
  const [text, setText] = useState<string | null>(null); // null: not typing, show the selection
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const shown = text ?? selected?.label ?? "";

  const pick = (option: ComboOption) => {
    onSelect(option);
    setText(null);
    setOpen(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) {
        setOpen(true);
        setActive(0);
        onSearch(text ?? "");
        return;
      }
      setActive((i) => Math.min(i + 1, Math.max(options.length - 1, 0)));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === "Enter" && open) {
      // Inside a form, Enter on an open list picks instead of submitting.
      event.preventDefault();
      if (options[active]) pick(options[active]);
    } else if (event.key === "Escape" && (open || text !== null)) {
      event.preventDefault();
      event.stopPropagation(); // a picker inside a dialog closes itself, not the dialog
      if (open) setOpen(false);
      else setText(null);
    }
  };

  return (
    <div className="field combobox">
      <label htmlFor={id}>{label}</label>
      <div className="combobox-control">
        <input
          id={id}
          type="text"
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={open && options.length > 0}
          aria-controls={open && options.length > 0 ? listId : undefined}
          aria-activedescendant={open && options[active] ? `${id}-opt-${active}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          placeholder={placeholder}
          value={shown}
          onChange={(event) => {
            setText(event.target.value);
            setActive(0);
            setOpen(true);
            onSearch(event.target.value);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => {
            // Options keep the focus on mouse down, so a blur means the rep left the picker.
            setOpen(false);
            setText(null);
          }}
        />
        {selected && (
          <button type="button" className="button button-ghost button-small" aria-label={`Clear ${label}`}
            onClick={() => { onSelect(null); setText(null); }}>✕</button>
        )}
      </div>
      {open && options.length > 0 && (
        <ul id={listId} role="listbox" aria-label={label} className="combobox-list">
          {options.map((option, index) => (
            <li
              key={option.value}
              id={`${id}-opt-${index}`}
              role="option"
              aria-selected={index === active}
              className={index === active ? "combobox-option combobox-option-active" : "combobox-option"}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => pick(option)}
            >
              <span>{option.label}</span>
              {option.detail && <small className="muted">{option.detail}</small>}
            </li>
          ))}
        </ul>
      )}
      {open && options.length === 0 && <p className="combobox-empty muted" role="status">{loading ? "Searching…" : "No matches."}</p>}
      {error && <small id={`${id}-error`} className="field-error">{error}</small>}
    </div>
  );
}
