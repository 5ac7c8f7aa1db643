"""Mail: the outbox, the events that cause mail, subscriptions, and addresses that bounce."""
