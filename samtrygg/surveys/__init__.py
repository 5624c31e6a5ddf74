"""Safety surveys and dialogues: what residents feel, beside what is recorded."""
