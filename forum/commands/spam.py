"""`porch spam refit` and `porch spam rebuild`: keep the spam filter fitted to the site."""

from __future__ import annotations

import click

from forum.services.moderation.spam_rebuild import rebuild_model
from forum.services.moderation.spam_refit import refit_thresholds

spam = click.Group("spam", help="The learning spam filter.")


@spam.command("refit")
def refit() -> None:
    """Re-fit the filter's calibration and thresholds on the site's own decisions."""
    fit = refit_thresholds()
    rates = fit.rates
    if not rates.spam or not rates.honest:
        spam_count, honest_count = fit.decisions
        click.echo(f"Not enough decisions yet ({spam_count} spam, {honest_count} approved).")
        return
    click.echo(
        f"Fitted on {rates.spam} spam and {rates.honest} honest decisions: "
        f"{rates.caught:.1%} of spam caught outright, {rates.spam_held:.1%} held; "
        f"{rates.honest_to_spam:.1%} of honest replies sent to spam, {rates.honest_held:.1%} held."
    )


@spam.command("rebuild")
def rebuild() -> None:
    """Retrain the filter from the seed set and every counted decision, then re-fit."""
    lessons = rebuild_model()
    refit_thresholds()
    click.echo(f"Retrained on the seed set and {lessons} decisions; thresholds re-fitted.")
