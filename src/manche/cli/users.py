"""``manche users``: add, list and revoke users; issue and revoke their API tokens.

The command line is the administrator's console: whoever can run it can open the database, so
it does not ask for a token. Tokens are printed once, when issued, and never again.
"""

from __future__ import annotations

from dataclasses import asdict

import typer
from rich.table import Table

from manche.cli.app import sub_app
from manche.cli.context import database
from manche.cli.output import JSON_OPTION, emit, say
from manche.users import User, UserStore

users_app = sub_app("users", "Users, their roles and API tokens.")


def _user_json(user: User) -> dict[str, object]:
    data = asdict(user)
    data["side"] = user.side.value
    data["roles"] = [role.value for role in user.roles]
    return data


def _table(users: list[User]) -> Table:
    table = Table("user", "agency", "side", "roles", "created", "revoked", "tokens")
    for u in users:
        table.add_row(
            u.id,
            u.agency,
            u.side.value,
            ", ".join(r.value for r in u.roles),
            u.created_at,
            u.revoked_at or "",
            str(u.active_tokens),
        )
    return table


@users_app.command("add")
def add(
    user: str = typer.Argument(..., help="Pseudonymous id, e.g. bf-op-0142 (never a name)."),
    agency: str = typer.Option(..., "--agency", help="Agency code from the registry, e.g. UK-BF."),
    role: list[str] = typer.Option(
        ..., "--role", help="operator, analyst, caseworker, auditor, admin (repeat or comma-list)."
    ),
    token: bool = typer.Option(False, "--token", help="Also issue an API token (shown once)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Add a user to an agency with one or more roles."""
    db = database()
    try:
        store = UserStore(db)
        created = store.add(user, agency, role)
        data = _user_json(created)
        if token:
            issued = store.issue_token(created.id)
            data["token"] = issued.token
        emit(data, as_json=as_json, render=lambda: _table([created]))
        if token and not as_json:
            say(f"API token for {created.id} (shown once, store it now): {data['token']}")
    finally:
        db.close()


@users_app.command("list")
def list_(
    agency: str = typer.Option(None, "--agency", help="Only this agency's users."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List users with their agency, roles and number of active tokens."""
    db = database()
    try:
        users = UserStore(db).all(agency)
        emit([_user_json(u) for u in users], as_json=as_json, render=lambda: _table(users))
    finally:
        db.close()


@users_app.command("revoke")
def revoke(user: str = typer.Argument(...), as_json: bool = JSON_OPTION) -> None:
    """Disable a user and every token it holds (kept, marked revoked)."""
    db = database()
    try:
        revoked = UserStore(db).revoke(user)
        emit(_user_json(revoked), as_json=as_json, render=lambda: _table([revoked]))
    finally:
        db.close()


@users_app.command("token")
def token(
    user: str = typer.Argument(...),
    label: str = typer.Option("", "--label", help="What the token is for (e.g. 'ops laptop')."),
    revoke: int = typer.Option(None, "--revoke", help="Revoke the token with this id instead."),
    list_tokens: bool = typer.Option(False, "--list", help="List the user's tokens (no secrets)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Issue an API token for USER (printed once), or --list / --revoke ID its tokens."""
    db = database()
    try:
        store = UserStore(db)
        if list_tokens:
            rows = store.tokens(user)

            def render() -> Table:
                table = Table("id", "prefix", "label", "created", "revoked")
                for r in rows:
                    table.add_row(
                        *(str(r[k] or "") for k in ("id", "prefix", "label")),
                        str(r["created_at"]),
                        str(r["revoked_at"] or ""),
                    )
                return table

            emit(rows, as_json=as_json, render=render)
            return
        if revoke is not None:
            owned = {int(str(r["id"])) for r in store.tokens(user)}
            if revoke not in owned:
                from manche.errors import NotFound

                raise NotFound(f"user {user!r} has no token {revoke}", field="token")
            store.revoke_token(revoke)
            emit(
                {"user": user, "token_id": revoke, "revoked": True},
                as_json=as_json,
                render=lambda: f"token {revoke} of {user} revoked",
            )
            return
        issued = store.issue_token(user, label)
        data = {
            "user": issued.user_id,
            "token_id": issued.token_id,
            "prefix": issued.prefix,
            "label": issued.label,
            "token": issued.token,
        }
        if as_json:
            emit(data, as_json=True)
        else:
            say(f"API token {issued.token_id} for {user} (shown once, store it now):")
            typer.echo(issued.token)
    finally:
        db.close()
