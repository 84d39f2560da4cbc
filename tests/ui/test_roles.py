"""Roles: the [roles] mapping, OIDC sign-in through st.user, local mode and its loopback guard."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.upload import ROOT, seed_warehouse, texts
from ui.navigation import PAGES
from ui.roles import account, mail_matches, role_for, scope_for

CONFIG = {
    "admins": ["kim@mss.go.kr"],
    "analysts": ["*@kosme.or.kr", "Lee@MOFA.go.kr"],
    "viewers": ["*@mss.go.kr"],
    "admin_groups": ["council-admins"],
    "analyst_groups": ["council-analysts"],
    "scope": {"lee@mofa.go.kr": {"agency": "mofa", "missions": ["VN-HAN", "VN-SGN"]}},
}
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-secret",
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
}


@pytest.mark.parametrize(
    ("email", "groups", "expected"),
    [
        ("kim@mss.go.kr", None, "admin"),
        ("KIM@MSS.GO.KR", None, "admin"),  # e-mail case does not matter
        ("park@kosme.or.kr", None, "analyst"),  # a domain pattern
        ("lee@mofa.go.kr", None, "analyst"),
        ("choi@mss.go.kr", None, "viewer"),
        ("stranger@gmail.com", None, None),  # nobody named them: refused by default
        ("stranger@gmail.com", ["council-admins"], "admin"),  # a group claim as a list
        ("stranger@gmail.com", "staff, council-analysts", None),  # a string claim is not split
        ("stranger@gmail.com", "council-admins", None),  # nor taken as a group: lists only
        ("choi@mss.go.kr", ["council-analysts"], "analyst"),  # the highest role wins
        ("", None, None),
    ],
)
def test_role_for_maps_mail_and_groups(email, groups, expected):
    assert role_for(email, groups, CONFIG) == expected


def test_default_role_opens_the_dashboard_to_every_signed_in_person():
    assert role_for("stranger@gmail.com", None, {**CONFIG, "default": "viewer"}) == "viewer"
    assert role_for("stranger@gmail.com", None, {**CONFIG, "default": "superuser"}) is None


def test_scope_for_gives_the_analysts_agency_and_missions():
    assert scope_for("LEE@mofa.go.kr", CONFIG) == ("mofa", ("VN-HAN", "VN-SGN"))
    assert scope_for("kim@mss.go.kr", CONFIG) == (None, ())


def test_the_kelvin_sign_and_other_look_alikes_never_match_a_rule():
    # U+212A KELVIN SIGN folds to "k": the account is not kim@mss.go.kr, whatever lower() says
    assert "\u212aim@mss.go.kr".lower() == "kim@mss.go.kr"
    assert role_for("\u212aim@mss.go.kr", None, CONFIG) is None
    assert role_for("ｋｉｍ@mss.go.kr", None, CONFIG) is None  # full-width letters
    assert role_for("kim\u200b@mss.go.kr", None, CONFIG) is None  # a zero-width space
    assert scope_for("\u212aim@mss.go.kr", {"scope": {"kim@mss.go.kr": {"agency": "mss"}}}) == (None, ())
    role, *_, why = account({"email": "\u212aim@mss.go.kr"}, CONFIG)
    assert role is None and "look-alike" in why
    # rules themselves are folded, so a rule typed in full width or with capitals still works
    assert role_for("kim@mss.go.kr", None, {"admins": ["ＫＩＭ@MSS.go.kr"]}) == "admin"


@pytest.mark.parametrize(
    ("email", "pattern", "expected"),
    [
        ("park@kosme.or.kr", "*@kosme.or.kr", True),
        ("kosme.or.kr@evil.example", "*kosme.or.kr", False),  # no @ in the pattern: names nobody
        ("a@kosme.or.kr@evil.example", "*@kosme.or.kr", False),  # two @: not one address
        ("x@evil.example", "*@*", True),
        ("park@mss.go.kr.evil.example", "*@mss.go.kr", False),
        ("park@sub.mss.go.kr", "*@*.mss.go.kr", True),
        ("kim@mss.go.kr", "k*r", False),  # `*` never spans the @
    ],
)
def test_star_stays_inside_the_local_part_or_the_domain(email, pattern, expected):
    assert mail_matches(email, pattern) is expected


def test_group_claims_count_only_as_lists():
    assert role_for("x@gmail.com", ["Council-Admins"], CONFIG) == "admin"
    assert role_for("x@gmail.com", ("council-analysts",), CONFIG) == "analyst"
    assert role_for("x@gmail.com", "council-admins;staff", CONFIG) is None
    assert role_for("x@gmail.com", {"council-admins": True}, CONFIG) is None


def test_an_unverified_email_is_refused():
    for flag in (False, "false"):
        role, *_, why = account({"email": "kim@mss.go.kr", "email_verified": flag}, CONFIG)
        assert role is None and "not verified" in why
    # a provider that says nothing about verification is taken at its word
    assert account({"email": "kim@mss.go.kr"}, CONFIG)[0] == "admin"
    assert account({"email": "kim@mss.go.kr", "email_verified": True}, CONFIG)[0] == "admin"


def test_every_analyst_needs_an_agency():
    # matched by a wildcard, with no scope: refused, saying what to add
    role, agency, _, why = account({"email": "park@kosme.or.kr"}, CONFIG)
    assert role is None and agency is None
    assert '[roles.scope."park@kosme.or.kr"] agency' in why
    # an analyst by group claim alone is refused the same way
    assert account({"email": "x@gmail.com", "groups": ["council-analysts"]}, CONFIG)[0] is None
    # a scope under the pattern gives every analyst it names that agency
    scoped = {**CONFIG, "scope": {**CONFIG["scope"], "*@kosme.or.kr": {"agency": "kosme"}}}
    assert account({"email": "park@kosme.or.kr"}, scoped)[:2] == ("analyst", "kosme")
    # the e-mail's own scope wins over a pattern's
    assert account({"email": "lee@mofa.go.kr"}, {**scoped, "analysts": ["*@mofa.go.kr"]})[:2] == (
        "analyst",
        "mofa",
    )
    # admins and viewers need none
    assert account({"email": "kim@mss.go.kr"}, CONFIG)[:2] == ("admin", None)
    assert account({"email": "choi@mss.go.kr"}, CONFIG)[:2] == ("viewer", None)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "warehouse.duckdb"
    seed_warehouse(path, tmp_path)
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    for name in ("DASHBOARD_ROLE", "DASHBOARD_USER", "DASHBOARD_AGENCY", "DASHBOARD_MISSIONS"):
        monkeypatch.delenv(name, raising=False)
    return path


def oidc_app(user: dict, page: str = "views/upload.py") -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.secrets["roles"] = CONFIG
    at.user = user
    at.switch_page(page)
    return at.run()


def test_oidc_without_sign_in_shows_only_the_sign_in_button(db):
    at = oidc_app({"is_logged_in": False})
    assert not at.exception
    assert [b.label for b in at.button] == ["로그인 / Sign in"]
    assert not at.file_uploader


def test_oidc_analyst_uploads_under_their_own_mail(db):
    at = oidc_app({"is_logged_in": True, "email": "lee@mofa.go.kr", "name": "Lee"})
    assert not at.exception
    assert at.file_uploader
    assert "lee@mofa.go.kr" in texts(at.sidebar.caption)
    assert "로그아웃 / Sign out" in [b.label for b in at.sidebar.button]
    # the configured scope pre-selects the analyst's agency and missions for the template
    assert at.selectbox(key="tpl_agency").value == "mofa"
    assert at.multiselect(key="tpl_missions").value == ["VN-HAN", "VN-SGN"]


def test_oidc_viewer_and_unknown_people_cannot_upload(db):
    viewer = oidc_app({"is_logged_in": True, "email": "choi@mss.go.kr"})
    assert not viewer.file_uploader
    stranger = oidc_app({"is_logged_in": True, "email": "stranger@gmail.com"})
    assert "권한이 없습니다" in texts(stranger.error)
    assert not stranger.file_uploader


def test_oidc_refuses_a_wildcard_analyst_without_scope_and_an_unverified_mail(db):
    analyst = oidc_app({"is_logged_in": True, "email": "park@kosme.or.kr"})
    assert not analyst.exception
    assert "권한이 없습니다" in texts(analyst.error)
    assert "an analyst needs an agency" in texts(analyst.error)
    assert not analyst.file_uploader
    unverified = oidc_app({"is_logged_in": True, "email": "kim@mss.go.kr", "email_verified": False})
    assert "has not verified this e-mail" in texts(unverified.error)
    kelvin = oidc_app({"is_logged_in": True, "email": "\u212aim@mss.go.kr"})
    assert "권한이 없습니다" in texts(kelvin.error)
    assert not kelvin.file_uploader


def test_local_mode_defaults_to_admin_and_reads_the_environment(db, monkeypatch):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page("views/reference.py")
    at.run()
    assert "로컬 모드" in texts(at.sidebar.caption)
    assert "K-뷰티 거점공관 지정" in texts(at.subheader)
    monkeypatch.setenv("DASHBOARD_ROLE", "analyst")
    monkeypatch.setenv("DASHBOARD_USER", "hong")
    at = AppTest.from_file(str(ROOT / "views/reference.py"), default_timeout=60).run()
    assert "권한이 없습니다" in texts(at.error)


def test_local_mode_refuses_a_browser_on_another_machine(db, monkeypatch):
    import ui.roles

    monkeypatch.setattr(ui.roles, "_remote_client", lambda: True)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert "권한이 없습니다" in texts(at.error)
    assert "local mode serves this machine only" in texts(at.error)


def test_unknown_local_role_is_refused(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_ROLE", "superuser")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert "권한이 없습니다" in texts(at.error)


def test_the_documented_secrets_example_maps_as_the_readme_says():
    import tomllib

    with open(ROOT / ".streamlit" / "secrets.example.toml", "rb") as fh:
        secrets = tomllib.load(fh)
    roles = secrets["roles"]
    assert {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"} <= set(
        secrets["auth"]
    )
    assert role_for("kim@mss.go.kr", None, roles) == "admin"
    assert role_for("park@kosme.or.kr", None, roles) == "analyst"
    assert account({"email": "park@kosme.or.kr"}, roles)[:2] == ("analyst", "kosme")
    assert role_for("choi@mss.go.kr", None, roles) == "viewer"
    assert role_for("anyone@example.com", None, roles) is None
    assert scope_for("lee@mofa.go.kr", roles)[0] == "mofa"


def test_no_pages_folder_beside_the_entry_script():
    """A `pages/` folder would make Streamlit serve its files by itself on a fresh server (no sidebar
    of ours, no role check from dashboard.py): the pages live in views/."""
    assert not (ROOT / "pages").exists()
    assert all((ROOT / spec.path).exists() for spec in PAGES)


# --- one normalisation, exact comparison (#26 item 3) ------------------------------------------------

STRICT = {
    "admins": ["strauss@mss.go.kr", "José@mss.go.kr"],
    "admin_groups": ["council-admins"],
    "analysts": ["*@kosme.or.kr"],
    "scope": {"*@kosme.or.kr": {"agency": "kosme"}},
}


@pytest.mark.parametrize(
    ("email", "groups", "expected"),
    [
        ("strauß@mss.go.kr", None, None),  # ß is not ss
        ("STRAUSS@MSS.GO.KR", None, "admin"),  # ASCII case does not matter
        ("strauss@mss.go.kr ", None, None),  # a trailing space: not the address
        ("ｓtrauss@mss.go.kr", None, None),  # a full-width letter
        ("jose\u0301@mss.go.kr", None, None),  # a combining accent: refused as look-alike
        ("JOSÉ@mss.go.kr", None, None),  # non-ASCII letters are compared exactly: É is not é
        ("jOSé@mss.go.kr", None, "admin"),  # ASCII letters in any case
        ("park@kosme.or.kr", ["ｃouncil-admins"], "analyst"),  # a full-width group name grants nothing
        ("park@kosme.or.kr", ["COUNCIL-ADMINS"], "admin"),  # ASCII case of a group does not matter
        ("x@y.z", ["council-admins "], None),  # a group claim with a trailing space is another group
        ("x@y.z", ["council-adminſ"], None),  # long s, which casefolds to s
    ],
)
def test_identities_are_compared_exactly_after_one_normalisation(email, groups, expected):
    role, *_ = account({"email": email, "email_verified": True, "groups": groups}, STRICT)
    assert role == expected


@pytest.mark.parametrize("flag", [0, "0", "no", "false", "False", "true", "yes", 1, "1", None, [], {}])
def test_only_a_true_boolean_is_a_verified_email(flag):
    role, *_, why = account({"email": "strauss@mss.go.kr", "email_verified": flag}, STRICT)
    assert role is None and "not verified" in why
