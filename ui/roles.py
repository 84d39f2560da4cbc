"""Who is looking, and what they may do: viewer, analyst or admin.

Two modes (documented in README, "Sign-in and roles"):

* **OIDC** — when `.streamlit/secrets.toml` has an `[auth]` section, people sign in with
  `st.login()` and the `[roles]` section maps their e-mail (or a group claim) to a role:

      [roles]
      admins = ["kim@mss.go.kr"]
      analysts = ["*@kosme.or.kr", "lee@mofa.go.kr"]   # shell-style patterns, case-insensitive;
                                                        # `*` stays inside the local part or the domain
      viewers = ["*@mss.go.kr", "*@mofa.go.kr"]
      admin_groups = ["council-admins"]                 # values of the groups claim (a list)
      analyst_groups = ["council-analysts"]
      viewer_groups = ["council"]
      groups_claim = "groups"                           # the claim holding group names
      default = "none"                                  # anyone else: "none" (refused) or "viewer"

      [roles.scope."lee@mofa.go.kr"]                    # an analyst's agency and missions
      agency = "mofa"                                   # (pre-fill the return template)
      missions = ["VN-HAN", "VN-SGN"]
      [roles.scope."*@kosme.or.kr"]                     # a pattern scopes every analyst it names
      agency = "kosme"

  The highest role any rule gives wins. A signed-in person no rule names gets `default`. E-mails
  and group names are compared exactly after one normalisation (NFC, ASCII letters lower-cased:
  ß is not ss, a full-width letter is not its ASCII twin, a trailing space is another name); rules
  are also NFKC-folded and trimmed as typed. An e-mail that NFKC changes (the Kelvin sign,
  full-width letters, a combining accent), an `email_verified` claim that is anything but the
  boolean true, and an analyst with no agency in `[roles.scope]` are refused.
* **Local** — no `[auth]`: one person on one machine. The role is $DASHBOARD_ROLE (default admin),
  the name $DASHBOARD_USER (default the OS user), the scope $DASHBOARD_AGENCY and
  $DASHBOARD_MISSIONS (comma-separated codes). The server must listen on 127.0.0.1 only
  (`make run` and .streamlit/config.toml do); a request from another address is refused.

Every change the pages make records `current_user()` (loaded_by, rolled_back_by, changed_by).
"""

import fnmatch
import getpass
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from ui.text import plain

ROLES = ("viewer", "analyst", "admin")
_RANK = {role: i for i, role in enumerate(ROLES)}


@dataclass(frozen=True)
class Identity:
    """The person using this session."""

    user: str  # e-mail under OIDC; the local user name otherwise
    role: str | None  # None: known to nobody, so refused everywhere
    mode: str  # oidc | local
    name: str = ""
    agency: str | None = None
    missions: tuple[str, ...] = ()
    reason: str = ""  # why role is None

    @property
    def label(self) -> str:
        shown = self.name or self.user
        return f"{shown} ({self.user})" if self.name and self.name != self.user else shown


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _key(text: object) -> str:
    """How rules and claims are compared: canonical composition (NFC), then ASCII letters in lower case.

    Nothing else is folded: no compatibility forms (a full-width ｃ is not c), no Unicode case
    folding (ß is not ss, ſ is not s, é is not É), no spaces trimmed from a claim. Two identities
    are the same only if they are the same text after this.
    """
    return unicodedata.normalize("NFC", str(text)).translate(_ASCII_LOWER)


def _rule(text: object) -> str:
    """A rule as the administrator typed it: spaces trimmed and compatibility forms folded (NFKC: a
    rule typed in full width still works), then _key. Only rules are folded so; claims never are."""
    return _key(unicodedata.normalize("NFKC", str(text)).strip())


def _patterns(config: Mapping, key: str) -> list[str]:
    value = config.get(key) or []
    if isinstance(value, str):
        value = [value]
    return [_rule(v) for v in value if str(v).strip()]


def _groups(claim: object) -> set[str]:
    """Group names from a claim that is a list; anything else (a string "a, b", a number) gives none.

    Splitting a string on `,` or `;` would let a single group whose name holds one of them
    ("staff;council-admins") claim membership of another.
    """
    if not isinstance(claim, list | tuple):
        return set()
    return {_key(g) for g in claim if isinstance(g, str) and g.strip()}


def _mail_parts(text: str) -> tuple[str, str] | None:
    local, at, domain = text.partition("@")
    if not at or not local or not domain or "@" in domain:
        return None
    return local, domain


def mail_matches(email: str, pattern: str) -> bool:
    """Shell-style match of a normalised e-mail with a normalised pattern, `*` never spanning `@`.

    The local part is matched with the pattern's local part and the domain with its domain, so
    `*@mss.go.kr` names everyone at mss.go.kr and no one at `mss.go.kr@evil.example`; a pattern
    without exactly one `@` names nobody.
    """
    mail, pat = _mail_parts(email), _mail_parts(pattern)
    if mail is None or pat is None:
        return False
    return fnmatch.fnmatchcase(mail[0], pat[0]) and fnmatch.fnmatchcase(mail[1], pat[1])


def unsafe_mail(email: str | None) -> str:
    """Why an e-mail cannot be matched against the rules at all ('' when it can).

    An address that NFKC changes (the Kelvin sign K in `\u212aim@mss.go.kr`, full-width letters) is
    a different account from the one a rule names, though it folds to the same text: refused.
    """
    if not email:
        return ""
    if unicodedata.normalize("NFKC", email) != email or any(
        unicodedata.category(ch) in ("Cc", "Cf", "Zs") for ch in email
    ):
        return "the e-mail holds look-alike or invisible characters"
    if _mail_parts(email) is None:
        return "the e-mail is not one address"
    return ""


def role_for(email: str | None, groups: object, config: Mapping) -> str | None:
    """The role the `[roles]` config gives this e-mail and group claim; None if it gives none.

    Pure: the unit tests call it with plain dicts.
    """
    if unsafe_mail(email):
        email = ""
    mail = _key(email or "")
    member_of = _groups(groups)
    best: str | None = None
    for role in reversed(ROLES):  # admin first
        by_mail = any(mail_matches(mail, p) for p in _patterns(config, f"{role}s")) if mail else False
        by_group = bool(member_of & set(_patterns(config, f"{role}_groups")))
        if by_mail or by_group:
            best = role
            break
    if best is None:
        default = _rule(config.get("default", "none"))
        best = default if default in ROLES else None
    return best


def scope_for(email: str | None, config: Mapping) -> tuple[str | None, tuple[str, ...]]:
    """(agency code, mission codes) configured for an analyst under `[roles.scope."e-mail"]`.

    The key is an e-mail or a pattern (`[roles.scope."*@kosme.or.kr"]`); the e-mail itself wins
    over a pattern.
    """
    scopes = config.get("scope") or {}
    if unsafe_mail(email):
        return None, ()
    mail = _key(email or "")
    exact = [s for k, s in scopes.items() if _rule(k) == mail]
    matched = exact or [s for k, s in scopes.items() if mail_matches(mail, _rule(k))]
    if not mail or not matched:
        return None, ()
    scope = matched[0]
    missions = scope.get("missions") or []
    if isinstance(missions, str):
        missions = missions.split(",")
    agency = scope.get("agency")
    return (str(agency).strip() if agency else None), tuple(m.strip() for m in missions if m.strip())


def account(claims: Mapping, config: Mapping) -> tuple[str | None, str | None, tuple[str, ...], str]:
    """(role, agency, missions, why refused) for a signed-in person's ID-token claims.

    Refused: an e-mail the provider says is not verified, an e-mail with look-alike characters, and
    an analyst with no agency under `[roles.scope]` (they could otherwise load any agency's figures).
    """
    email = str(claims.get("email") or "")
    # Only a true boolean is verified: 0, "no", "false", "0", "true", null … are not (a provider that
    # sends no such claim at all is taken at its word, as before: some never send it)
    if "email_verified" in claims and claims.get("email_verified") is not True:
        return None, None, (), "the sign-in provider has not verified this e-mail"
    why = unsafe_mail(email)
    if why:
        return None, None, (), why
    role = role_for(email, claims.get(str(config.get("groups_claim", "groups"))), config)
    agency, missions = scope_for(email, config)
    if role == "analyst" and not agency:
        return (
            None,
            None,
            (),
            (f'an analyst needs an agency: add [roles.scope."{email}"] agency = "..." to the secrets'),
        )
    if role is None:
        return None, None, (), "no role is configured for this account"
    return role, agency, missions, ""


def _secrets_section(name: str) -> Mapping | None:
    try:
        if name in st.secrets:
            return st.secrets[name]
    except Exception:  # no secrets.toml at all, or a malformed one: treated as not configured
        return None
    return None


def auth_configured() -> bool:
    """OIDC sign-in is configured (an [auth] section in secrets)."""
    return _secrets_section("auth") is not None


def _local_identity() -> Identity:
    role = os.environ.get("DASHBOARD_ROLE", "admin").strip().lower()
    user = os.environ.get("DASHBOARD_USER") or _os_user()
    missions = tuple(m.strip() for m in os.environ.get("DASHBOARD_MISSIONS", "").split(",") if m.strip())
    agency = os.environ.get("DASHBOARD_AGENCY") or None
    if role not in ROLES:
        return Identity(user, None, "local", reason=f"unknown DASHBOARD_ROLE {role!r}")
    if _remote_client():
        return Identity(
            user,
            None,
            "local",
            reason="local mode serves this machine only (listen on 127.0.0.1, or configure [auth])",
        )
    return Identity(user, role, "local", agency=agency, missions=missions)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in a container
        return "local"


def _remote_client() -> bool:
    """A browser on another machine (Streamlit reports None for localhost and in AppTest)."""
    try:
        ip = st.context.ip_address
    except Exception:
        return False
    return isinstance(ip, str) and ip not in ("127.0.0.1", "::1", "localhost")


def _oidc_identity() -> Identity:
    config = _secrets_section("roles") or {}
    user = st.user
    email = str(user.get("email") or "")
    name = str(user.get("name") or "")
    role, agency, missions, reason = account(user, config)
    return Identity(
        email or name or "unknown",
        role,
        "oidc",
        name=name,
        agency=agency,
        missions=missions,
        reason=reason,
    )


def identity() -> Identity:
    """The current person. Under OIDC, someone not signed in sees the sign-in button and nothing else."""
    if not auth_configured():
        return _local_identity()
    if not st.user.is_logged_in:
        _sign_in_screen()
    return _oidc_identity()


def _sign_in_screen() -> None:
    st.title("중기부–외교부 정책협의회 성과 대시보드")
    st.write("로그인이 필요합니다. / Please sign in.")
    st.button("로그인 / Sign in", type="primary", on_click=st.login, key="sign_in")
    st.stop()


def _refuse_unknown(me: Identity) -> None:
    st.error(
        f"이 대시보드를 사용할 권한이 없습니다 ({plain(me.user)}). 관리자에게 문의하세요. / "
        f"You have no access to this dashboard ({plain(me.reason)})."
    )
    if me.mode == "oidc":
        st.button("로그아웃 / Sign out", on_click=st.logout, key="sign_out_refused")
    st.stop()


def current_role() -> str:
    """The role for navigation (dashboard.py calls this once per run).

    Also puts who is signed in, and a sign-out button under OIDC, in the sidebar. Someone without
    a role is told so and the script stops.
    """
    me = identity()
    if me.role is None:
        _refuse_unknown(me)
    identity_box(me)
    return me.role or "viewer"


def current_user() -> str:
    """Who did it, as recorded in the warehouse (loaded_by, rolled_back_by, changed_by)."""
    return identity().user


def can(role_needed: str) -> bool:
    """Whether the current person has at least this role."""
    me = identity()
    return me.role is not None and _RANK[me.role] >= _RANK[role_needed]


def require(roles: frozenset[str]) -> None:
    """Stop a page reached by URL by someone whose role may not use it (every restricted page calls this)."""
    me = identity()
    if me.role is None:
        _refuse_unknown(me)
    if me.role not in roles:
        refuse_page()


def refuse_page() -> None:
    """The refusal a page shows someone whose role may not use it (dashboard.py routes such URLs here)."""
    st.error("이 페이지를 볼 권한이 없습니다 / You do not have access to this page.")
    st.stop()


def identity_box(me: Identity | None = None) -> None:
    """Who is signed in, with what role, in the sidebar (and a sign-out button under OIDC)."""
    me = me or identity()
    if me.role is None:
        return
    role_ko = {"viewer": "열람", "analyst": "분석 담당", "admin": "관리자"}[me.role]
    mode = "" if me.mode == "oidc" else " · 로컬 모드 / local mode"
    st.sidebar.caption(f":material/person: {plain(me.label)} — {role_ko} / {me.role}{mode}")
    if me.mode == "oidc":
        st.sidebar.button("로그아웃 / Sign out", on_click=st.logout, key="sign_out")
