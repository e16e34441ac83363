"""The security headers Django and django-csp have no setting for.

SecurityMiddleware sets HSTS, ``X-Content-Type-Options``, ``Referrer-Policy`` and
``Cross-Origin-Opener-Policy`` from settings; django-csp sets the Content-Security-Policy;
``pluform.middleware.NoStoreForSignedInMiddleware`` forbids caching answers to a signed-in
user. This middleware adds the rest.
"""

# Browser features Pluform never uses, so no page (nor anything injected into one) may ask for
# them. Video and audio play in the page's own player, which may go full screen. Two-factor is
# TOTP only: allow publickey-credentials-* for 'self' before enabling passkeys.
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "bluetooth=()",
        "browsing-topics=()",
        "camera=()",
        "display-capture=()",
        "encrypted-media=()",
        "fullscreen=(self)",
        "geolocation=()",
        "gyroscope=()",
        "hid=()",
        "idle-detection=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "publickey-credentials-create=()",
        "publickey-credentials-get=()",
        "screen-wake-lock=()",
        "serial=()",
        "usb=()",
        "xr-spatial-tracking=()",
    ]
)


class SecurityHeadersMiddleware:
    """``Permissions-Policy`` on every response.

    Placed above the health check and SecurityMiddleware, so it covers every response those
    give: /healthz, static files, redirects (to HTTPS too) and error pages included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
