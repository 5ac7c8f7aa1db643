"""Webhooks: signed JSON deliveries of forum events to endpoints admins register."""
