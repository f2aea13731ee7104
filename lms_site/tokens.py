from allauth.headless.tokens.strategies.jwt.strategy import JWTTokenStrategy


class RoleClaimJWTTokenStrategy(JWTTokenStrategy):
    """Access tokens carry the role so other services can authorise without a lookup."""

    def get_claims(self, user):
        return {"role": user.role}
