import { useId, useState, type ReactNode } from "react";
import { Spinner } from "@/components/ui/spinner";
import { useRefreshTemplates, useTemplates } from "../api/list-templates";
import { useSendReply } from "../api/send-reply";
import { fillTemplate } from "../chat-logic";
import { SendProblem } from "./send-problem";

interface Props {
  conversationId: string;
  channelId: string;
  to: string;
  /** Why only a template may go out now. */
  notice: ReactNode;
  /** Admins: a button to read Meta's list again now. */
  canRefresh?: boolean;
}

const keyOf = (t: { name: string; language: string }) => `${t.name}|${t.language}`;

/** WhatsApp after the 24-hour window: an approved template, one field per parameter, and the text the customer will read. */
export function TemplateComposer({ conversationId, channelId, to, notice, canRefresh = false }: Props) {
  const templates = useTemplates(channelId);
  const refresh = useRefreshTemplates(channelId);
  const send = useSendReply(conversationId);
  const [chosen, setChosen] = useState("");
  const [parameters, setParameters] = useState<string[]>([]);
  const [sent, setSent] = useState(false);
  const id = useId();
  const template = templates.data?.items.find((t) => keyOf(t) === chosen);
  const ready = Boolean(template) && parameters.length === template?.parameter_count && parameters.every((p) => p.trim());

  const choose = (key: string) => {
    const next = templates.data?.items.find((t) => keyOf(t) === key);
    setChosen(key);
    setParameters(Array.from({ length: next?.parameter_count ?? 0 }, () => ""));
    setSent(false);
  };
  const submit = () => {
    if (!template || !ready || send.isPending) return;
    setSent(false);
    send.mutate({ template: { name: template.name, language: template.language, parameters } }, {
      onSuccess: () => {
        choose("");
        setSent(true);
      },
    });
  };

  return (
    <form className="reply-composer template-composer" aria-label="Reply with a template"
      onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <p className="reply-composer-to">Reply to {to}</p>
      {notice}
      {templates.isPending ? <Spinner label="Loading the approved templates…" />
        : templates.error ? <SendProblem error={templates.error} />
        : templates.data.items.length === 0 ? (
          <p className="muted">This WhatsApp Business Account has no approved templates to send. An admin creates them in WhatsApp Manager.</p>
        ) : (
          <>
            <label htmlFor={`${id}-template`}>Template</label>
            <select id={`${id}-template`} value={chosen} onChange={(e) => choose(e.target.value)}>
              <option value="">Choose an approved template</option>
              {templates.data.items.map((t) => (
                <option key={keyOf(t)} value={keyOf(t)}>{t.name} ({t.language}, {t.category.toLowerCase()})</option>
              ))}
            </select>
            {template && template.parameter_count > 0 && (
              <fieldset className="template-parameters">
                <legend>Fill in the template</legend>
                {parameters.map((value, i) => (
                  <div className="field" key={i}>
                    <label htmlFor={`${id}-p${i}`}>{`{{${i + 1}}}`}</label>
                    <input id={`${id}-p${i}`} value={value} maxLength={1024}
                      onChange={(e) => { setParameters(parameters.map((p, j) => (j === i ? e.target.value : p))); setSent(false); }} />
                  </div>
                ))}
              </fieldset>
            )}
            {template && (
              <section className="template-preview" aria-label="Preview">
                <p className="muted">The customer will read:</p>
                <p className="chat-bubble chat-bubble-outbound chat-bubble-text">{fillTemplate(template.body, parameters)}</p>
              </section>
            )}
          </>
        )}
      <SendProblem error={send.error ?? refresh.error} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={!ready || send.isPending}>
          {send.isPending ? "Sending…" : "Send template"}
        </button>
        {canRefresh && (
          <button type="button" className="button button-secondary" disabled={refresh.isPending} onClick={() => refresh.mutate()}>
            {refresh.isPending ? "Reading Meta's list…" : "Refresh from Meta"}
          </button>
        )}
        <span role="status" className="live-line">{sent ? "Template queued: its status shows in the thread." : ""}</span>
      </div>
    </form>
  );
}
