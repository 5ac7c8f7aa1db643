"""Deferred work that must survive a restart: job rows, and what each import already wrote."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import Enum
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from forum.models.base import Base
from forum.models.base import created_at
from forum.models.base import intpk


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(Base):
    """One unit of deferred work; the database is the record, the task queue only the trigger."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_status_heartbeat_at", "status", "heartbeat_at"),)

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(40))
    # Set for work that must happen once per key, e.g. "digest:2026-12-01".
    key: Mapped[str | None] = mapped_column(String(120), unique=True)
    status: Mapped[JobStatus] = mapped_column(
        Enum(
            JobStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]
        ),
        default=JobStatus.QUEUED,
    )
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    progress: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None]
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    claimed_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class ImportRecord(Base):
    """Maps a thing in an export file to the row it became, so a second run creates nothing."""

    __tablename__ = "import_record"
    __table_args__ = (UniqueConstraint("source", "kind", "source_id"),)

    id: Mapped[intpk]
    source: Mapped[str] = mapped_column(String(300))  # e.g. "wordpress:https://blog.example"
    kind: Mapped[str] = mapped_column(String(20))  # author, category, post, comment, thread
    source_id: Mapped[str] = mapped_column(String(200))
    target_id: Mapped[int]
    created_at: Mapped[created_at]
