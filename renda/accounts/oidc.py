"""Government single sign-on (OIDC), switched on by OIDC_OP_AUTHORIZATION_ENDPOINT.

Users are matched on the `preferred_username` claim (falling back to email). Roles are never
taken from the identity provider: a matched user keeps the roles the committee assigned here, and
an unknown person is not created (accounts are provisioned by the committee office).
"""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class GovernmentOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        username = claims.get("preferred_username")
        if username:
            return self.UserModel.objects.filter(username=username, is_active=True)
        email = claims.get("email")
        if email:
            return self.UserModel.objects.filter(email__iexact=email, is_active=True)
        return self.UserModel.objects.none()

    def create_user(self, claims):
        return None
