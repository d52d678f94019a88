#!/usr/bin/env python3
"""Render deploy/nginx/balai.conf.in into an nginx site for Balai (standard library only).

    python3 deploy/render_nginx.py --server-name layanan.kaltimprov.go.id \\
        --upstream 10.20.0.11:8000 --upstream 10.20.0.12:8000 \\
        --certificate /etc/letsencrypt/live/layanan.kaltimprov.go.id/fullchain.pem \\
        --certificate-key /etc/letsencrypt/live/layanan.kaltimprov.go.id/privkey.pem \\
        --static-root /srv/balai/var/static > /etc/nginx/sites-available/balai

`--upload-max-bytes` defaults to UPLOAD_MAX_BYTES from the environment (else Balai's default, 5 MiB).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "balai.conf.in"
FILES_PER_REQUEST = 5  # the portal takes at most five attachments per form field (balai/portal/drafts.py)
FORM_ALLOWANCE = 1024 * 1024  # the rest of a multipart form besides its files


def client_max_body_size(upload_max_bytes: int, files_per_request: int = FILES_PER_REQUEST) -> int:
    return upload_max_bytes * files_per_request + FORM_ALLOWANCE


def render(*, server_name: str, upstreams: list[str], certificate: str, certificate_key: str, static_root: str,
           upload_max_bytes: int, https_listen: str = "443", http_listen: str = "80") -> str:
    values = {
        "SERVER_NAME": server_name,
        "UPSTREAM_SERVERS": "\n".join(f"    server {u} max_fails=2 fail_timeout=5s;" for u in upstreams),
        "TLS_CERTIFICATE": certificate,
        "TLS_CERTIFICATE_KEY": certificate_key,
        "STATIC_ROOT": static_root.rstrip("/"),
        "UPLOAD_MAX_BYTES": str(upload_max_bytes),
        "FILES_PER_REQUEST": str(FILES_PER_REQUEST),
        "CLIENT_MAX_BODY_SIZE": str(client_max_body_size(upload_max_bytes)),
        "HTTPS_LISTEN": https_listen,
        "HTTP_LISTEN": http_listen,
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    if "@" in "".join(line for line in text.splitlines() if not line.lstrip().startswith("#")):
        raise SystemExit("a placeholder was left unfilled")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server-name", required=True)
    parser.add_argument("--upstream", action="append", required=True, help="host:port of a web node (repeat)")
    parser.add_argument("--certificate", required=True)
    parser.add_argument("--certificate-key", required=True)
    parser.add_argument("--static-root", required=True)
    parser.add_argument("--upload-max-bytes", type=int, default=int(os.environ.get("UPLOAD_MAX_BYTES") or 5242880))
    parser.add_argument("--https-listen", default="443")
    parser.add_argument("--http-listen", default="80")
    args = parser.parse_args()
    print(render(server_name=args.server_name, upstreams=args.upstream, certificate=args.certificate,
                 certificate_key=args.certificate_key, static_root=args.static_root,
                 upload_max_bytes=args.upload_max_bytes, https_listen=args.https_listen,
                 http_listen=args.http_listen), end="")


if __name__ == "__main__":
    main()
