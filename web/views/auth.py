"""Log in and log out (/login, /logout)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from graphsvc import users
from web.auth import User, safe_next
from web.core import graph

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    name = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=users.MAX_PASSWORD)])


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    target = safe_next(request.args.get("next")) or url_for("core.home")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(target)
    status = 200
    if form.validate_on_submit():
        rec = users.authenticate(graph(), form.name.data or "", form.password.data or "")
        if rec is not None:
            # A fresh session on login: nothing chosen before it carries over.
            session.clear()
            login_user(User(rec.name, rec.role, rec.stamp), remember=False)
            session.permanent = False
            flash(gettext("Logged in as %(name)s.", name=rec.name), "info")
            return redirect(target)
        form.password.errors.append(gettext("Unknown user name or wrong password."))
        status = 401
    elif request.method == "POST":
        status = 400
    public = bool(current_app.config.get("LOTURA_PUBLIC", True))
    return render_template("auth/login.html", form=form, next=request.args.get("next", ""), public=public), status


@bp.post("/logout")
def logout() -> Any:
    logout_user()
    session.clear()
    flash(gettext("You are logged out."), "info")
    return redirect(url_for("core.home"))
