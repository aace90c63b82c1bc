"""One adapter per editable entity kind: its fields, how its current values are read, the
rules that span fields, and how approved values are applied through the owning service."""
