"""The Slack surface: Bolt app, listeners per kind, pure Block Kit builders."""
