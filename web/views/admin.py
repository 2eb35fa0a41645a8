"""Administration (admins only): users, API tokens and loading data through the web.

Uploads are checked before any loader sees them: at most ``LOTURA_UPLOAD_MAX_MB``
megabytes a file (default 20; the whole request is capped by ``MAX_CONTENT_LENGTH``),
``.csv`` files only, UTF-8 text without NUL bytes, at most ``LOTURA_UPLOAD_MAX_ROWS``
data rows a file (default 200 000). Bigger datasets go through ``lotura load`` on the
server. The loader then validates every row and reports every problem as
``file:line: field: message``.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from graphsvc import users
from graphsvc.errors import InvalidInput, LoturaError, Problem
from loaders import api as loaders_api
from web.auth import require_role
from web.core import graph

bp = Blueprint("admin", __name__, url_prefix="/admin")

# kind -> the CSV template's label; "cordis" takes the official CORDIS files.
TEMPLATE_KINDS = {
    "orgs": _l("Organisations (CSV template)"),
    "capacities": _l("Capacities (CSV template)"),
    "needs": _l("Needs (CSV template)"),
    "projects": _l("Projects (CSV template)"),
    "networks": _l("Networks (CSV template)"),
    "memberships": _l("Memberships (CSV template)"),
    "cordis": _l(
        "CORDIS Horizon Europe files (project.csv, organization.csv, euroSciVoc.csv, policyPriorities.csv)"
    ),
}
CORDIS_FILES = {
    "project.csv": "project.csv",
    "organization.csv": "organization.csv",
    "organisation.csv": "organization.csv",
    "euroscivoc.csv": "euroSciVoc.csv",
    "policypriorities.csv": "policyPriorities.csv",
}
ROLE_CHOICES = [SelectChoice("organiser", _l("organiser")), SelectChoice("admin", _l("administrator"))]
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def upload_limits() -> tuple[int, int]:
    """(bytes a file, data rows a file)."""
    cfg = current_app.config  # set from the Settings by create_app; tests may override
    return int(float(cfg["LOTURA_UPLOAD_MAX_MB"]) * 1024 * 1024), int(cfg["LOTURA_UPLOAD_MAX_ROWS"])


# -- forms -------------------------------------------------------------------------------


class AddUserForm(FlaskForm):
    name = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(min=users.MIN_PASSWORD, max=users.MAX_PASSWORD)]
    )
    confirm = PasswordField(
        _l("Password again"), validators=[EqualTo("password", message=_l("The passwords differ."))]
    )


class UserActionForm(FlaskForm):
    name = HiddenField(validators=[DataRequired()])
    role = SelectField(
        _l("Role"),
        choices=ROLE_CHOICES,
        validators=[Optional()],
    )


class PasswordForm(FlaskForm):
    name = HiddenField(validators=[DataRequired()])
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=users.MIN_PASSWORD, max=users.MAX_PASSWORD)],
    )


class TokenForm(FlaskForm):
    user = SelectField(_l("User"), choices=[], validators=[DataRequired()])
    label = StringField(_l("What it is for"), validators=[Optional(), Length(max=200)])


class RevokeForm(FlaskForm):
    token_id = HiddenField(validators=[DataRequired(), Length(max=40)])


class UploadForm(FlaskForm):
    kind = SelectField(
        _l("What the file holds"), choices=[SelectChoice(k, v) for k, v in TEMPLATE_KINDS.items()]
    )
    file = FileField(_l("CSV file"))
    files = MultipleFileField(_l("CORDIS files"))
    skip_invalid = BooleanField(_l("Load the valid rows and set the invalid ones aside"))


# -- pages -------------------------------------------------------------------------------


@bp.get("/")
@require_role("admin")
def index() -> Any:
    return render_template(
        "admin/index.html", users=users.list_users(graph()), tokens=users.list_tokens(graph())[:20]
    )


@bp.route("/users", methods=["GET", "POST"])
@require_role("admin")
def users_page() -> Any:
    form = AddUserForm(prefix="add")
    status = 200
    if form.validate_on_submit():
        try:
            users.add_user(graph(), form.name.data or "", form.role.data or "", form.password.data or "")
        except LoturaError as exc:
            form.name.errors = [*form.name.errors, str(exc)]
            status = 400 if exc.http_status == 400 else 409
        else:
            flash(gettext("User %(name)s added.", name=form.name.data), "info")
            return redirect(url_for("admin.users_page"))
    elif request.method == "POST":
        status = 400
    return render_template(
        "admin/users.html",
        form=form,
        users=users.list_users(graph()),
        action=UserActionForm(prefix="act"),
        pw=PasswordForm(prefix="pw"),
    ), status


@bp.post("/users/remove")
@require_role("admin")
def remove_user() -> Any:
    form = UserActionForm(prefix="act")
    if not form.validate_on_submit():
        raise InvalidInput(gettext("No user given."), field="name")
    name = form.name.data or ""
    if name == g.principal.name:
        raise InvalidInput(gettext("You cannot remove your own account."), field="name")
    users.remove_user(graph(), name)
    flash(gettext("User %(name)s removed; their API tokens are revoked.", name=name), "info")
    return redirect(url_for("admin.users_page"))


@bp.post("/users/role")
@require_role("admin")
def change_role() -> Any:
    form = UserActionForm(prefix="act")
    if not form.validate_on_submit() or not form.role.data:
        raise InvalidInput(gettext("No user or role given."), field="role")
    name = form.name.data or ""
    if name == g.principal.name and form.role.data != "admin":
        raise InvalidInput(gettext("You cannot take the administrator role from yourself."), field="role")
    users.set_role(graph(), name, form.role.data)
    flash(gettext("%(name)s is now %(role)s.", name=name, role=form.role.data), "info")
    return redirect(url_for("admin.users_page"))


@bp.post("/users/password")
@require_role("admin")
def change_password() -> Any:
    form = PasswordForm(prefix="pw")
    if not form.validate_on_submit():
        problems = "; ".join(e for errs in form.errors.values() for e in errs)
        raise InvalidInput(problems or gettext("No password given."), field="password")
    users.set_password(graph(), form.name.data or "", form.password.data or "")
    flash(gettext("Password of %(name)s changed; their sessions are closed.", name=form.name.data), "info")
    return redirect(url_for("admin.users_page"))


@bp.route("/tokens", methods=["GET", "POST"])
@require_role("admin")
def tokens_page() -> Any:
    form = TokenForm(prefix="tok")
    form.user.choices = [SelectChoice(u["name"], u["name"]) for u in users.list_users(graph())]
    issued = None
    status = 200
    if form.validate_on_submit():
        tid, secret = users.issue_token(graph(), form.user.data or "", form.label.data or "")
        issued = {"id": tid, "token": secret, "user": form.user.data}
    elif request.method == "POST":
        status = 400
    return render_template(
        "admin/tokens.html",
        form=form,
        tokens=users.list_tokens(graph()),
        issued=issued,
        revoke=RevokeForm(prefix="rev"),
    ), status


@bp.post("/tokens/revoke")
@require_role("admin")
def revoke_token() -> Any:
    form = RevokeForm(prefix="rev")
    if not form.validate_on_submit():
        raise InvalidInput(gettext("No token given."), field="token_id")
    users.revoke_token(graph(), form.token_id.data or "")
    flash(gettext("Token %(id)s revoked.", id=form.token_id.data), "info")
    return redirect(url_for("admin.tokens_page"))


# -- uploads -----------------------------------------------------------------------------


def check_upload(fs: FileStorage, max_bytes: int, max_rows: int, delimiter: str) -> tuple[bytes, int]:
    """The file's bytes and data-row count, or InvalidInput saying what is wrong."""
    name = fs.filename or "upload"
    if not name.lower().endswith(".csv"):
        raise InvalidInput(gettext("%(file)s: only .csv files can be uploaded.", file=name), field="file")
    data = fs.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InvalidInput(
            gettext(
                "%(file)s is larger than %(mb)s MB; load big files on the server with the command “lotura load”.",
                file=name,
                mb=round(max_bytes / 1024 / 1024),
            ),
            field="file",
        )
    if not data.strip():
        raise InvalidInput(gettext("%(file)s is empty.", file=name), field="file")
    if b"\x00" in data:
        raise InvalidInput(gettext("%(file)s is not a text file.", file=name), field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            gettext(
                "%(file)s is not UTF-8 text (byte %(pos)s); save it as CSV UTF-8.", file=name, pos=exc.start
            ),
            field="file",
        ) from exc
    rows = -1  # the header is not a data row
    try:
        for _row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows += 1
            if rows > max_rows:
                raise InvalidInput(
                    gettext(
                        "%(file)s has more than %(n)s rows; load it on the server with the command “lotura load”.",
                        file=name,
                        n=max_rows,
                    ),
                    field="file",
                )
    except csv.Error as exc:
        raise InvalidInput(
            gettext("%(file)s is not valid CSV: %(why)s", file=name, why=str(exc)), field="file"
        ) from exc
    if rows < 1:
        raise InvalidInput(gettext("%(file)s has a header but no rows.", file=name), field="file")
    return data, rows


def _loader(kind: str) -> Callable[..., Any]:
    """The loaders' entry point for ``kind`` (they own the parsing and the writing)."""
    return loaders_api.load_cordis if kind == "cordis" else loaders_api.load_template  # type: ignore[no-any-return]


def run_upload(kind: str, files: list[FileStorage], skip_invalid: bool) -> Any:
    max_bytes, max_rows = upload_limits()
    delimiter = ";" if kind == "cordis" else ","
    tmp = Path(tempfile.mkdtemp(prefix="lotura-upload-"))
    shown: dict[str, str] = {}
    try:
        saved: list[Path] = []
        for fs in files:
            data, _rows = check_upload(fs, max_bytes, max_rows, delimiter)
            original = fs.filename or "upload.csv"
            if kind == "cordis":
                target = CORDIS_FILES.get(Path(original).name.lower())
                if target is None:
                    raise InvalidInput(
                        gettext(
                            "%(file)s is not one of the CORDIS files (%(names)s).",
                            file=original,
                            names="project.csv, organization.csv, euroSciVoc.csv, policyPriorities.csv",
                        ),
                        field="files",
                    )
            else:
                target = _SAFE_NAME.sub("_", Path(original).name) or "upload.csv"
            path = tmp / target
            path.write_bytes(data)
            shown[str(path)] = original
            saved.append(path)
        load = _loader(kind)
        if kind == "cordis":
            if not (tmp / "project.csv").exists() or not (tmp / "organization.csv").exists():
                raise InvalidInput(
                    gettext("CORDIS needs at least project.csv and organization.csv."), field="files"
                )
            return load(graph(), tmp, skip_invalid=skip_invalid, progress=False)
        return load(graph(), kind, saved[0], skip_invalid=skip_invalid, progress=False)
    except InvalidInput as exc:
        # Show the uploaded file names, not the temporary paths.
        problems = [
            Problem(shown.get(p.file, Path(p.file).name), p.line, p.field, p.message) for p in exc.problems
        ]
        msg = exc.message.split("\n", 1)[0]
        for long, short in shown.items():
            msg = msg.replace(long, short)
        raise InvalidInput(msg, field=exc.field, problems=problems) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def problems_message(problems: list[Problem], option: str, references: bool = False) -> str:
    """What the upload page says above the table of a file's problems. Unknown
    references (``references``) stop a load whatever the checkbox says."""
    files = ", ".join(sorted({p.file for p in problems if p.file}))
    if references:
        return ngettext(
            "%(num)d unknown reference in %(files)s; nothing was loaded. Load the organisation, network or "
            "topic it names first, or correct it, and upload again.",
            "%(num)d unknown references in %(files)s; nothing was loaded. Load the organisations, networks or "
            "topics they name first, or correct them, and upload again.",
            len(problems), files=files,
        )
    return ngettext(
        "%(num)d problem in %(files)s; nothing was loaded. Fix it, or tick “%(option)s” and upload again.",
        "%(num)d problems in %(files)s; nothing was loaded. Fix them, or tick “%(option)s” and upload again.",
        len(problems), files=files, option=option,
    )


@bp.route("/upload", methods=["GET", "POST"])
@require_role("admin")
def upload() -> Any:
    form = UploadForm(prefix="up")
    max_bytes, max_rows = upload_limits()
    report = None
    problems: list[Problem] = []
    error = None
    status = 200
    if form.validate_on_submit():
        kind = form.kind.data or ""
        files = [f for f in (form.files.data or []) if f and f.filename] if kind == "cordis" else []
        if kind != "cordis" and form.file.data and form.file.data.filename:
            files = [form.file.data]
        if kind == "cordis" and not files and form.file.data and form.file.data.filename:
            files = [form.file.data]
        if not files:
            error = gettext("Choose a file to upload.")
            status = 400
        else:
            try:
                report = run_upload(kind, files, bool(form.skip_invalid.data))
            except InvalidInput as exc:
                error, problems, status = exc.message.split("\n", 1)[0], exc.problems, 400
                if problems:
                    # The loaders' message speaks to the CLI (--skip-invalid); name the checkbox.
                    error = problems_message(problems, str(form.skip_invalid.label.text),
                                             references=exc.field == "references")
            except LoturaError as exc:
                if exc.http_status >= 500:
                    raise
                error, status = str(exc), exc.http_status
    elif request.method == "POST":
        status = 400
        error = "; ".join(e for errs in form.errors.values() for e in errs)
    return render_template(
        "admin/upload.html",
        form=form,
        report=report,
        problems=problems[:200],
        more=max(0, len(problems) - 200),
        error=error,
        max_mb=round(max_bytes / 1024 / 1024),
        max_rows=max_rows,
    ), status
