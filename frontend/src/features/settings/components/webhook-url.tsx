import { useState } from "react";

interface Props {
  url: string;
  /** Where the address goes: "the provider", "the shop". */
  label: string;
  hint?: string;
}

/** A read-only address with a copy button: what an admin pastes into the other system. */
export function WebhookUrl({ url, label, hint }: Props) {
  const [copied, setCopied] = useState("");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied("Copied.");
    } catch {
      // No clipboard permission: the field stays selectable by hand, and says so.
      setCopied("Could not copy: select the address and copy it by hand.");
    }
  };
  return (
    <div className="webhook-url">
      <label className="inline-field grow">
        {label}
        <input type="text" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <button type="button" className="button button-secondary" onClick={copy}>Copy</button>
      <span role="status" className="live-line">{copied}</span>
      {hint && <p className="muted">{hint}</p>}
    </div>
  );
}
