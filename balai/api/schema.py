"""OpenAPI descriptions of the two kinds of key (imported by ApiConfig.ready so drf-spectacular finds them)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class ClientKeyScheme(OpenApiAuthenticationExtension):
    target_class = "balai.api.auth.ClientKeyAuthentication"
    name = "ClientKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Client application key `blk_<prefix>_<secret>` (also accepted as `X-Api-Key`).",
        }


class StaffTokenScheme(OpenApiAuthenticationExtension):
    target_class = "balai.api.auth.StaffTokenAuthentication"
    name = "StaffToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Staff API token `bst_<prefix>_<secret>`; it acts with its owner's permissions.",
        }


class ApiAutoSchema(AutoSchema):
    """Security per operation from the view: staff endpoints need a staff token, submissions a client key,
    reads accept a client key or nothing at all."""

    def get_auth(self):
        super().get_auth()  # registers the security scheme components
        from balai.api.auth import StaffTokenRequired

        if any(cls is StaffTokenRequired for cls in getattr(self.view, "permission_classes", ())):
            return [{"StaffToken": []}]
        if getattr(self.view, "client_required", False):
            return [{"ClientKey": []}]
        return [{"ClientKey": []}, {}]
