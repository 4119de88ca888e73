"""Channel accounts (an email mailbox, later a WhatsApp number or a Facebook page) and one adapter
module per provider: each turns a provider's bytes into our normalised inbound message, or our
outbound message into the provider's call. Nothing else knows a provider's format."""
