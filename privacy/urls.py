from django.urls import path

from privacy import (
    access_log_views,
    break_glass_views,
    consent_views,
    erasure_views,
    export_views,
    request_views,
    statement_views,
)

app_name = "privacy"

urlpatterns = [
    path("statement/", statement_views.statement, name="statement"),
    path("access-log/", access_log_views.access_log, name="access_log"),
    path("requests/", request_views.index, name="requests"),
    path("requests/new/", request_views.new, name="request_new"),
    path("requests/<uuid:request_id>/", request_views.detail, name="request"),
    path("requests/<uuid:request_id>/ask/", request_views.ask, name="request_ask"),
    path("requests/<uuid:request_id>/answer/", request_views.answer, name="request_answer"),
    path("requests/<uuid:request_id>/forward/", request_views.forward, name="request_forward"),
    path("requests/<uuid:request_id>/pass-on/", request_views.pass_on, name="request_pass_on"),
    path("requests/<uuid:request_id>/extend/", request_views.extend, name="request_extend"),
    path("requests/<uuid:request_id>/execute/", request_views.execute, name="request_execute"),
    path("requests/<uuid:request_id>/withdraw/", request_views.withdraw, name="request_withdraw"),
    path(
        "requests/<uuid:request_id>/announce-lift/",
        request_views.announce_lift,
        name="request_announce_lift",
    ),
    path("requests/<uuid:request_id>/lift/", request_views.lift, name="request_lift"),
    path("copies/<uuid:archive_id>/", request_views.archive, name="archive"),
    path("export/", export_views.index, name="export"),
    path("erase/", erasure_views.erase, name="erase"),
    path("departures/seen/", erasure_views.departures_seen, name="departures_seen"),
    path("break-glass/", break_glass_views.index, name="break_glass"),
    path("break-glass/<uuid:grant_id>/", break_glass_views.grant, name="break_glass_grant"),
    path(
        "break-glass/<uuid:grant_id>/approve/",
        break_glass_views.approve,
        name="break_glass_approve",
    ),
    path(
        "break-glass/<uuid:grant_id>/refuse/", break_glass_views.refuse, name="break_glass_refuse"
    ),
    path("break-glass/<uuid:grant_id>/end/", break_glass_views.end, name="break_glass_end"),
    path(
        "break-glass/<uuid:grant_id>/read/<str:section_name>/",
        break_glass_views.read,
        name="break_glass_read",
    ),
    path("consents/", consent_views.index, name="consents"),
    path("consents/ask/<uuid:trajectory_id>/", consent_views.ask, name="consent_ask"),
    path("consents/<uuid:consent_id>/grant/", consent_views.grant, name="consent_grant"),
    path("consents/<uuid:consent_id>/decline/", consent_views.decline, name="consent_decline"),
    path("consents/<uuid:consent_id>/revoke/", consent_views.revoke, name="consent_revoke"),
    path("consents/<uuid:consent_id>/withdraw/", consent_views.withdraw, name="consent_withdraw"),
]
