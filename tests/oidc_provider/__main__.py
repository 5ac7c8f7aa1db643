"""Run the test OpenID Connect provider: python -m tests.oidc_provider --port PORT ..."""

from __future__ import annotations

import argparse

from werkzeug.serving import make_server

from tests.oidc_provider.server import create_app


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve on 127.0.0.1 until killed."""
    parser = argparse.ArgumentParser(prog="python -m tests.oidc_provider", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument(
        "--redirect-uri",
        action="append",
        default=[],
        help="allowed redirect URI (repeatable); default: any http://127.0.0.1 or localhost URL",
    )
    args = parser.parse_args(argv)
    issuer = f"http://127.0.0.1:{args.port}"
    app = create_app(issuer, args.client_id, args.client_secret, tuple(args.redirect_uri))
    server = make_server("127.0.0.1", args.port, app, threaded=True)
    print(f"OpenID Connect test provider at {issuer}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
