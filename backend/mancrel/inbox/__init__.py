"""The inbox: conversations and messages, threading, identity, the junk gate, and `ai.process_message`."""
