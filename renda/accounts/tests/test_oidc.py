from django.test import override_settings

from renda.accounts.oidc import GovernmentOIDCBackend

OIDC = dict(OIDC_RP_CLIENT_ID="renda", OIDC_RP_CLIENT_SECRET="s", OIDC_OP_TOKEN_ENDPOINT="https://sso.invalid/token",
            OIDC_OP_USER_ENDPOINT="https://sso.invalid/userinfo", OIDC_OP_JWKS_ENDPOINT="https://sso.invalid/jwks",
            OIDC_OP_AUTHORIZATION_ENDPOINT="https://sso.invalid/auth", OIDC_RP_SIGN_ALGO="RS256")


@override_settings(**OIDC)
def test_sso_matches_existing_users_and_never_creates_them(world):
    backend = GovernmentOIDCBackend()
    assert list(backend.filter_users_by_claims({"preferred_username": "staff"})) == [world.users["staff"]]
    assert list(backend.filter_users_by_claims({"email": "DIRECTOR@example.org"})) == [world.users["director"]]
    assert not backend.filter_users_by_claims({"preferred_username": "stranger"}).exists()
    assert not backend.filter_users_by_claims({}).exists()
    assert backend.create_user({"preferred_username": "stranger"}) is None
