"""Accounts: local sign-up and sign-in, and identities from outside providers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from forum.errors import Forbidden
from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.i18n import ngettext
from forum.models import Identity
from forum.models import Role
from forum.models import User
from forum.models import VerifiedEmail
from forum.models.base import utcnow
from forum.models.user import new_session_token
from forum.security.oidc import ExternalProfile
from forum.services.display_names import checked_name
from forum.services.display_names import cleaned_or
from forum.services.mail import addresses
from forum.services.mail import outbox

# A real hash to compare against when the email is unknown, so both paths take as long.
_DUMMY_HASH = generate_password_hash("porch-timing-equaliser")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def check_password_rules(password: str, min_length: int) -> list[str]:
    problems = []
    if len(password) < min_length:
        problems.append(
            ngettext(
                "Use at least %(num)d character.", "Use at least %(num)d characters.", min_length
            )
        )
    if len(password) > 1000:
        problems.append(_("That password is too long."))
    return problems


def register_local(*, email: str, display_name: str, password: str, min_length: int) -> User:
    """A new member with a password; the email is unconfirmed until they follow the link we send."""
    errors: dict[str, list[str]] = {}
    try:
        display_name = checked_name(display_name, field="display_name")
    except InvalidInput as error:
        errors.update(error.errors)
    if find_by_email(email) is not None:
        errors["email"] = [
            _("An account with this email already exists. Sign in, or reset its password.")
        ]
    if problems := check_password_rules(password, min_length):
        errors["password"] = problems
    if errors:
        raise InvalidInput(errors)
    user = User(
        email=normalise_email(email),
        display_name=display_name,
        role=Role.MEMBER,
        password_hash=generate_password_hash(password),
        last_sign_in_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    # The confirmation link is queued with the account, so neither exists without the other.
    outbox.queue_message(
        kind="verify_email", to=user.email or "", data={"uid": user.id, "email": user.email}
    )
    db.session.commit()
    return user


def authenticate(*, email: str, password: str) -> User:
    """The account for this email and password, or one vague error that reveals neither."""
    user = find_by_email(email)
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    if not check_password_hash(stored, password) or user is None or not user.password_hash:
        raise InvalidInput({"password": [_("That email and password do not match an account.")]})
    user.last_sign_in_at = utcnow()
    db.session.commit()
    return user


def set_password(*, user: User, password: str, min_length: int, via_email: bool = False) -> None:
    """Set a new password and end every other session of this account.

    Through an emailed reset link it also confirms the address: the link proved the mailbox.
    """
    if problems := check_password_rules(password, min_length):
        raise InvalidInput({"password": problems})
    user.password_hash = generate_password_hash(password)
    user.session_token = new_session_token()
    if via_email and user.email_verified_at is None:
        user.email_verified_at = utcnow()
    db.session.commit()


def mark_email_verified(*, user_id: int, email: str) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.email != email:
        raise NotFound(_("This confirmation link is for an address the account no longer uses."))
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    addresses.confirmed_again(email)  # a bouncing address that proves it works gets mail again
    db.session.commit()
    return user


def confirm_guest_email(email: str) -> None:
    """Record that whoever reads this mailbox wrote as a guest with it (idempotent)."""
    address = normalise_email(email)
    if db.session.get(VerifiedEmail, address) is None:
        db.session.add(VerifiedEmail(email=address))
    addresses.confirmed_again(address)  # a bouncing address that proves it works gets mail again
    db.session.commit()


def guest_email_confirmed(email: str) -> bool:
    return db.session.get(VerifiedEmail, normalise_email(email)) is not None


@dataclass(frozen=True)
class IdentitySignIn:
    """Either the user to sign in, or an existing account that must first prove it is theirs."""

    user: User | None = None
    needs_proof_for: User | None = None


def sign_in_with_identity(profile: ExternalProfile) -> IdentitySignIn:
    """Known identity: its user. New: a new account, unless a verified email names its owner."""
    identity = _identity_for(profile)
    if identity is not None:
        _refresh(identity, profile)
        identity.user.last_sign_in_at = utcnow()
        db.session.commit()
        return IdentitySignIn(user=identity.user)
    owner = find_by_email(profile.email) if profile.email and profile.email_verified else None
    if owner is not None and not owner.password_hash and not owner.identities:
        return IdentitySignIn(user=_claim_imported(owner, profile))
    if owner is not None:
        return IdentitySignIn(needs_proof_for=owner)
    user = User(
        display_name=cleaned_or(profile.name, f"{profile.provider.title()} user"),
        email=profile.email if profile.email_verified else None,
        email_verified_at=utcnow() if profile.email_verified else None,
        role=Role.MEMBER,
        last_sign_in_at=utcnow(),
    )
    user.identities.append(_new_identity(profile))
    db.session.add(user)
    db.session.commit()
    return IdentitySignIn(user=user)


def _claim_imported(owner: User, profile: ExternalProfile) -> User:
    """An imported author's account (no password, no sign-in yet): the verified email proves it."""
    owner.identities.append(_new_identity(profile))
    owner.email_verified_at = owner.email_verified_at or utcnow()
    owner.last_sign_in_at = utcnow()
    db.session.commit()
    return owner


def link_identity(*, user: User, profile: ExternalProfile) -> Identity:
    """Attach a provider sign-in to this account; refused if another account already has it."""
    vouches = profile.email_verified and profile.email == user.email  # the provider proves it
    if user.email is not None and user.email_verified_at is None and not vouches:
        # Otherwise someone could sign up with another person's address, link their own
        # provider, and keep a way in after the real owner recovers the account.
        raise Forbidden(
            _("Confirm your email address first (see your settings), then link sign-ins.")
        )
    identity = _identity_for(profile)
    if identity is not None and identity.user_id != user.id:
        raise Forbidden(_("That sign-in already belongs to another account here."))
    if identity is None:
        identity = _new_identity(profile)
        user.identities.append(identity)
    _refresh(identity, profile)
    if profile.email_verified and user.email == profile.email and user.email_verified_at is None:
        user.email_verified_at = utcnow()
    db.session.commit()
    return identity


def unlink_identity(*, user: User, identity_id: int) -> None:
    """Remove a provider sign-in, never the last way into the account."""
    identity = db.session.get(Identity, identity_id)
    if identity is None or identity.user_id != user.id:
        raise NotFound(_("That sign-in is not linked to your account."))
    if len(user.identities) <= 1 and not user.password_hash:
        raise Forbidden(
            _("This is your only way to sign in. Set a password or link another first.")
        )
    db.session.delete(identity)
    db.session.commit()


def _identity_for(profile: ExternalProfile) -> Identity | None:
    query = select(Identity).where(
        Identity.provider == profile.provider, Identity.subject == profile.subject
    )
    return db.session.scalar(query)


def _new_identity(profile: ExternalProfile) -> Identity:
    return Identity(provider=profile.provider, subject=profile.subject)


def _refresh(identity: Identity, profile: ExternalProfile) -> None:
    identity.email = profile.email
    identity.email_verified = profile.email_verified
    identity.display_name = cleaned_or(profile.name, "") or None
    identity.picture_url = profile.picture_url
    identity.last_used_at = utcnow()


def create_user(
    *, email: str, display_name: str, password: str, role: Role, min_length: int
) -> User:
    """For the `porch user create` command: a confirmed account with the given role."""
    user = register_local(
        email=email, display_name=display_name, password=password, min_length=min_length
    )
    user.role = role
    user.email_verified_at = utcnow()
    db.session.commit()
    return user
