import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { useCreateChannel, useUpdateChannel } from "../api/save-channel";
import { channelSchema, imapPortForTls, missingSecret, secretsFrom, settingsFrom, valuesFromChannel, type ChannelValues } from "../channel-form-logic";
import { INBOUND_LABELS, SECRET_LABELS, type Channel } from "../types";

interface Props {
  /** The channel being edited; none for a new one. */
  channel?: Channel;
  onDone: (saved: Channel) => void;
  onCancel: () => void;
}

export function ChannelForm({ channel, onDone, onCancel }: Props) {
  const create = useCreateChannel();
  const update = useUpdateChannel(channel?.id ?? "");
  const save = channel ? update : create;
  const form = useForm<ChannelValues>({ resolver: zodResolver(channelSchema), defaultValues: valuesFromChannel(channel) });
  const { errors, isSubmitting } = form.formState;
  const inbound = form.watch("inbound");
  const smtpOn = form.watch("smtp_on");
  const secretsSet = channel?.secrets_set ?? [];

  const submit = form.handleSubmit(async (values) => {
    const missing = missingSecret(values, secretsSet);
    if (missing) {
      form.setError(missing, { message: `${SECRET_LABELS[missing]} is needed for ${INBOUND_LABELS[values.inbound]}.` });
      return;
    }
    const body = { name: values.name.trim(), enabled: values.enabled, settings: settingsFrom(values), secrets: secretsFrom(values) };
    const saved = channel
      ? await update.mutateAsync(body).catch(() => null)
      : await create.mutateAsync({ ...body, kind: "email" }).catch(() => null);
    if (saved) onDone(saved);
  });

  const secret = (key: keyof typeof SECRET_LABELS & keyof ChannelValues) => {
    const stored = secretsSet.includes(key);
    return (
      <Field label={SECRET_LABELS[key]} error={errors[key]?.message}
        hint={stored ? "Set. Type a new one to replace it; leave blank to keep it." : "Not set."}>
        <input type="password" autoComplete="new-password" {...form.register(key)} />
      </Field>
    );
  };

  return (
    <form className="record-form channel-form" onSubmit={submit} noValidate aria-label={channel ? `Edit ${channel.name}` : "New email channel"}>
      <div className="form-grid">
        <Field label="Name" error={errors.name?.message}><input type="text" autoFocus {...form.register("name")} /></Field>
        <Field label="Shop email address" error={errors.address?.message} hint="Replies come from it; mail from it is never a lead.">
          <input type="email" {...form.register("address")} />
        </Field>
        <Field label="Mail arrives through">
          <select {...form.register("inbound")}>
            {Object.entries(INBOUND_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </Field>
        <label className="checkbox-field"><input type="checkbox" {...form.register("enabled")} /> Enabled</label>
      </div>

      <fieldset className="form-section">
        <legend>Incoming mail</legend>
        <div className="form-grid">
          {inbound === "mailgun" && secret("signing_key")}
          {(inbound === "postmark" || inbound === "sendgrid") && (
            <>
              <Field label="Webhook user name" error={errors.basic_auth_user?.message}><input type="text" {...form.register("basic_auth_user")} /></Field>
              {secret("basic_auth_password")}
            </>
          )}
          {inbound === "imap" && (
            <>
              <Field label="IMAP host" error={errors.imap_host?.message}><input type="text" {...form.register("imap_host")} /></Field>
              <Field label="IMAP port" error={errors.imap_port?.message}><input type="text" inputMode="numeric" {...form.register("imap_port")} /></Field>
              <Field label="IMAP user name" error={errors.imap_username?.message}><input type="text" autoComplete="off" {...form.register("imap_username")} /></Field>
              {secret("imap_password")}
              <Field label="Folder"><input type="text" {...form.register("imap_folder")} /></Field>
              <label className="checkbox-field"><input type="checkbox" {...form.register("imap_tls", {
                onChange: (e) => form.setValue("imap_port", imapPortForTls(form.getValues("imap_port"), e.target.checked)),
              })} /> TLS (port 993)</label>
            </>
          )}
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>Outgoing mail (replies)</legend>
        <label className="checkbox-field"><input type="checkbox" {...form.register("smtp_on")} /> Send replies through an SMTP server</label>
        {smtpOn && (
          <div className="form-grid">
            <Field label="SMTP host" error={errors.smtp_host?.message}><input type="text" {...form.register("smtp_host")} /></Field>
            <Field label="SMTP port" error={errors.smtp_port?.message}><input type="text" inputMode="numeric" {...form.register("smtp_port")} /></Field>
            <Field label="SMTP user name" hint="Blank: no sign-in."><input type="text" autoComplete="off" {...form.register("smtp_username")} /></Field>
            {secret("smtp_password")}
            <Field label="Security">
              <select {...form.register("smtp_security")}>
                <option value="starttls">STARTTLS (587)</option>
                <option value="tls">TLS (465)</option>
                <option value="none">None (trusted network only)</option>
              </select>
            </Field>
          </div>
        )}
        {!smtpOn && <p className="muted">Without an outgoing server, replies to this channel's conversations cannot be sent.</p>}
      </fieldset>

      {save.error && <ErrorMessage error={save.error} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={isSubmitting}>{channel ? "Save channel" : "Create channel"}</button>
        <button type="button" className="button button-ghost" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
