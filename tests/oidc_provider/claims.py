from oauth2_provider.oauth2_validators import OAuth2Validator

UNVERIFIED = "Unverified email"
"""The provider's people in this group have an email it does not vouch for."""


class Claims(OAuth2Validator):
    def get_additional_claims(self, request):
        """What the provider says about the person, as a real issuer does: their email and
        whether it verified it (email_verified), their username and name."""
        user = request.user
        return {
            "email": user.email,
            "email_verified": not user.groups.filter(name=UNVERIFIED).exists(),
            "preferred_username": user.username,
            "name": user.get_full_name() or user.username,
        }
