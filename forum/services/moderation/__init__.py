"""Moderation: the rules every new reply passes, the queue, actions, reports, bans and audit."""
