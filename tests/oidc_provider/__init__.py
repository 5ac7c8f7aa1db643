"""A real OpenID Connect provider, run as a separate process, for end-to-end sign-in tests."""
