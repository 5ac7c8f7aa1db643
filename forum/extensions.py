"""Flask extensions, created unbound here and bound to the app in create_app."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from huey import Huey
from huey.storage import MemoryStorage

from forum.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Deferred work: storage is chosen in forum.deferred.init_app (SQLite file, or Redis when set).
huey = Huey("porch", results=False, immediate=True, storage_class=MemoryStorage)
