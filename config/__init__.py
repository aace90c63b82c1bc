"""Settings, read once from the environment; the lowest layer, importing nothing of ours."""
