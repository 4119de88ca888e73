import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { useOwnerChoices, usePipelineChoices } from "../api/get-pipelines";
import { useCreateChannel, useUpdateChannel } from "../api/save-channel";
import {
  META_SECRETS, metaChannelSchema, metaSecretsFrom, metaSettingsFrom, metaValuesFromChannel, missingMetaSecret, type MetaChannelValues,
} from "../meta-channel-logic";
import { KIND_LABELS, META_KINDS, META_SECRET_LABELS, type Channel, type MetaKind } from "../types";

interface Props {
  /** The channel being edited (its kind fixed); none for a new one, whose kind is chosen here. */
  channel?: Channel;
  onDone: (saved: Channel) => void;
  onCancel: () => void;
}

const SECRET_HINTS: Record<string, string> = {
  app_secret: "App dashboard › App settings › Basic. Checks that deliveries come from Meta.",
  access_token: "A system user's permanent token with the messaging (or leads) permission.",
  verify_token: "Any phrase you choose; type the same in Meta's webhook settings.",
};

/** A WhatsApp, Messenger or Lead Ads channel: the ids Meta shows, and the three secrets it needs. */
export function MetaChannelForm({ channel, onDone, onCancel }: Props) {
  const create = useCreateChannel();
  const update = useUpdateChannel(channel?.id ?? "");
  const save = channel ? update : create;
  const form = useForm<MetaChannelValues>({
    resolver: zodResolver(metaChannelSchema),
    defaultValues: metaValuesFromChannel((channel?.kind as MetaKind | undefined) ?? "whatsapp", channel),
  });
  const { errors, isSubmitting } = form.formState;
  const kind = form.watch("kind");
  const pipelineId = form.watch("pipeline_id");
  const pipelines = usePipelineChoices(kind === "lead_ads");
  const owners = useOwnerChoices(kind === "lead_ads");
  const stages = pipelines.data?.find((p) => p.id === pipelineId)?.stages.filter((s) => s.kind === "open") ?? [];
  const secretsSet = channel?.secrets_set ?? [];

  const submit = form.handleSubmit(async (v) => {
    const missing = missingMetaSecret(v, secretsSet);
    if (missing) {
      form.setError(missing, { message: `${META_SECRET_LABELS[missing]} is needed: Meta channels use all three secrets.` });
      return;
    }
    const body = { name: v.name.trim(), enabled: v.enabled, settings: metaSettingsFrom(v), secrets: metaSecretsFrom(v) };
    const saved = channel
      ? await update.mutateAsync(body).catch(() => null)
      : await create.mutateAsync({ ...body, kind: v.kind }).catch(() => null);
    if (saved) onDone(saved);
  });

  return (
    <form className="record-form channel-form" onSubmit={submit} noValidate aria-label={channel ? `Edit ${channel.name}` : "New Meta channel"}>
      <div className="form-grid">
        {channel ? (
          <Field label="Kind"><input type="text" readOnly value={KIND_LABELS[channel.kind]} /></Field>
        ) : (
          <Field label="Kind">
            <select autoFocus {...form.register("kind")}>
              {META_KINDS.map((k) => <option key={k} value={k}>{KIND_LABELS[k]}</option>)}
            </select>
          </Field>
        )}
        <Field label="Name" error={errors.name?.message}><input type="text" {...form.register("name")} /></Field>
        {kind === "whatsapp" ? (
          <>
            <Field label="Phone number id" hint="WhatsApp › API setup in Meta's app dashboard." error={errors.phone_number_id?.message}>
              <input type="text" inputMode="numeric" {...form.register("phone_number_id")} />
            </Field>
            <Field label="Display phone number" error={errors.display_phone_number?.message}>
              <input type="tel" {...form.register("display_phone_number")} />
            </Field>
            <Field label="WhatsApp Business Account id" error={errors.business_account_id?.message}
              hint="WhatsApp › API setup, above the phone number id. Needed to answer with approved templates after 24 hours.">
              <input type="text" inputMode="numeric" {...form.register("business_account_id")} />
            </Field>
          </>
        ) : (
          <Field label="Facebook page id" hint="The page's About › Page transparency, or Meta Business Suite." error={errors.page_id?.message}>
            <input type="text" inputMode="numeric" {...form.register("page_id")} />
          </Field>
        )}
        {kind === "lead_ads" && (
          <>
            <Field label="Pipeline for new leads">
              <select {...form.register("pipeline_id", { onChange: () => form.setValue("stage_id", "") })}>
                <option value="">Choose a pipeline</option>
                {(pipelines.data ?? []).map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
              </select>
            </Field>
            <Field label="Stage" error={errors.stage_id?.message}>
              <select {...form.register("stage_id")}>
                <option value="">Choose a stage</option>
                {stages.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
              </select>
            </Field>
            <Field label="Owner of new leads" hint="Blank: the channel's default owner, or unassigned.">
              <select {...form.register("owner_id")}>
                <option value="">Nobody in particular</option>
                {(owners.data ?? []).map((u) => <option key={u.id} value={u.id}>{u.full_name || u.email}</option>)}
              </select>
            </Field>
          </>
        )}
        <label className="checkbox-field"><input type="checkbox" {...form.register("enabled")} /> Enabled</label>
      </div>
      {pipelines.error && <ErrorMessage error={pipelines.error} />}

      <fieldset className="form-section">
        <legend>Secrets from Meta</legend>
        <div className="form-grid">
          {META_SECRETS.map((key) => (
            <Field key={key} label={META_SECRET_LABELS[key]} error={errors[key]?.message}
              hint={`${secretsSet.includes(key) ? "Set. Type a new one to replace it; leave blank to keep it. " : ""}${SECRET_HINTS[key]}`}>
              <input type="password" autoComplete="new-password" {...form.register(key)} />
            </Field>
          ))}
        </div>
      </fieldset>

      <details className="form-section">
        <summary>Advanced</summary>
        <Field label="Graph API address" hint="Blank: https://graph.facebook.com/v21.0." error={errors.graph_base_url?.message}>
          <input type="url" {...form.register("graph_base_url")} />
        </Field>
      </details>

      {save.error && <ErrorMessage error={save.error} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={isSubmitting}>{channel ? "Save channel" : "Create channel"}</button>
        <button type="button" className="button button-ghost" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
