from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import CONTENT_ROLES, Role
from pluform.crypto.streaming import encrypted_file_response
from pluform.forms import add_errors
from privacy import audit
from privacy.audit import Action
from toolbox import access, queries, services
from toolbox.forms import FilterForm, ItemEditForm, ItemForm, ShareForm


def _content_user(request):
    if request.user.role not in CONTENT_ROLES:
        raise Http404
    return request.user


def _subject(item, user=None):
    """Whose personal data this is, for the audit trail: a coachee's own item is theirs; a
    coach's item opened by a coachee is theirs to whom it was shared."""
    if item.owned_by_coachee:
        return item.owner_id
    return user.pk if user is not None and user.role == Role.COACHEE else None


# The library


@never_cache
@login_required
@require_GET
def index(request):
    user = _content_user(request)
    labels = queries.section_labels(user)
    section = request.GET.get("section", queries.default_section(user))
    if section not in labels:
        section = queries.default_section(user)
    form = FilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    since, new_count = queries.NOT_MARKED, 0
    if section == queries.Section.RECEIVED:
        since = services.visit(user)
        new_count = queries.new_count(user, since)
    page = queries.library_page(
        user,
        section,
        q=filters.get("q", ""),
        kind=filters.get("kind", ""),
        sort=filters.get("sort") or "new",
        page=request.GET.get("page"),
        since=since,
    )
    query = {key: value for key, value in filters.items() if value}
    context = {
        "page": page,
        "form": form,
        "section": section,
        "section_label": labels[section],
        "tabs": [
            (name, label, f"?{urlencode({'section': name})}", name == section)
            for name, label in labels.items()
        ],
        "new_count": new_count,
        "may_select": user.role == Role.COACH and section != queries.Section.RECEIVED,
        "restriction": services.restriction_error(user),
        "page_query": "&" + urlencode({"section": section, **query}),
        "filtered": bool(query.get("q") or query.get("kind")),
    }
    return render(request, "toolbox/index.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def add(request):
    user = _content_user(request)
    form = ItemForm(
        request.POST or None,
        request.FILES or None,
        is_coach=user.role == Role.COACH,
        recipients=access.recipients_for(user),
    )
    restriction = services.restriction_error(user)
    if request.method == "POST" and form.is_valid() and restriction is None:
        data = form.cleaned_data
        try:
            item = services.add_item(
                user,
                upload=data["file"],
                url=data["url"],
                title=data["title"],
                description=data["description"],
                tags=data["tags"],
                published=data.get("published", False),
                recipients=list(data["recipients"]),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            audit.record(request, Action.CREATE, subject=_subject(item), obj=item)
            messages.success(request, _("The item has been added."))
            return redirect("toolbox:item", item.pk)
    context = {"form": form, "restriction": restriction}
    return render(request, "toolbox/item_form.html", context)


# One item


def _render_item(request, item, share_form=None, status=200):
    user = request.user
    shares = queries.shares_of(item, user) if item.may_share else []
    context = {"item": item, "shares": shares, "restriction": services.restriction_error(user)}
    if item.may_share:
        recipients = access.recipients_for(user)
        not_yet = recipients.exclude(pk__in=[share.user_id for share in shares])
        context["share_form"] = share_form or ShareForm(
            recipients=not_yet, groups=services.group_choices(user)
        )
        context["has_recipients"] = bool(shares) or recipients.exists()
    if item.owned_by_coachee:
        audit.record(request, Action.VIEW, subject=item.owner_id, obj=item)
    return render(request, "toolbox/item.html", context, status=status)


@never_cache
@login_required
@require_GET
def item_detail(request, item_id):
    item = access.get_item_for(request.user, item_id)
    return _render_item(request, item)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit(request, item_id):
    item = access.get_own_item_for(request.user, item_id)
    initial = {
        "title": item.title,
        "description": item.description,
        "tags": ", ".join(item.tag_list),
        "url": item.url,
        "published": item.published,
    }
    form = ItemEditForm(
        request.POST or None,
        initial=initial,
        is_coach=not item.owned_by_coachee,
        is_link=item.is_link,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_item(
                item,
                title=data["title"],
                description=data["description"],
                tags=data["tags"],
                url=data.get("url"),
                published=data.get("published"),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            audit.record(request, Action.CHANGE, subject=_subject(item), obj=item)
            messages.success(request, _("Your changes have been saved."))
            return redirect("toolbox:item", item.pk)
    return render(request, "toolbox/item_form.html", {"form": form, "item": item})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request, item_id):
    item = access.get_own_item_for(request.user, item_id)
    if request.method == "POST":
        audit.record(request, Action.DELETE, subject=_subject(item), obj=item)
        services.delete_item(item)
        messages.success(request, _("The item has been deleted."))
        return redirect("toolbox:index")
    context = {"item": item, "share_count": len(queries.shares_of(item, request.user))}
    return render(request, "toolbox/delete.html", context)


@never_cache
@login_required
@require_POST
def share(request, item_id):
    item = access.get_item_for(request.user, item_id)
    if not item.may_share:
        raise Http404
    form = ShareForm(
        request.POST,
        recipients=access.recipients_for(request.user),
        groups=services.group_choices(request.user),
    )
    if form.is_valid():
        try:
            created = services.share_by_form(request.user, [item], form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            _record_shares(request, [item], created)
            return redirect("toolbox:item", item.pk)
    return _render_item(request, item, share_form=form, status=400)


def _record_shares(request, items, shares):
    for recipient in shares.recipients:
        for item in items:
            subject = _subject(item) or recipient.pk
            audit.record(request, Action.CHANGE, subject=subject, obj=item, detail="shared")
    if shares.created:
        messages.success(
            request,
            ngettext(
                "Shared: %(count)d new share.", "Shared: %(count)d new shares.", shares.created
            )
            % {"count": shares.created},
        )
    else:
        messages.info(request, _("It was already shared with everyone you chose."))
    if shares.left_out:
        messages.warning(
            request,
            ngettext(
                "%(count)d person in the group is not your coachee and was left out.",
                "%(count)d people in the group are not your coachees and were left out.",
                shares.left_out,
            )
            % {"count": shares.left_out},
        )


@never_cache
@login_required
@require_POST
def revoke(request, item_id, recipient_id):
    item = access.get_item_for(request.user, item_id)
    if services.revoke(item, recipient_id, by=request.user):
        subject = _subject(item) or recipient_id
        audit.record(request, Action.CHANGE, subject=subject, obj=item, detail="share revoked")
        messages.success(request, _("The share has been withdrawn."))
    return redirect("toolbox:item", item.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def share_many(request):
    """Share several items of the library at once."""
    user = request.user
    if user.role != Role.COACH:
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    items = access.get_shareable_items_for(user, _item_ids(data.getlist("items")))
    if not items:
        messages.info(request, _("Select the items you want to share first."))
        return redirect("toolbox:index")
    form = ShareForm(
        request.POST or None,
        recipients=access.recipients_for(user),
        groups=services.group_choices(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.share_by_form(user, items, form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            _record_shares(request, items, created)
            return redirect("toolbox:index")
    queries.decorate(items, user)
    return render(request, "toolbox/share_many.html", {"items": items, "form": form})


def _item_ids(values):
    ids = []
    for value in values[: queries.PER_PAGE]:
        try:
            ids.append(UUID(value))
        except ValueError:
            raise Http404 from None
    return ids


# The file


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def file(request, item_id):
    upload = access.get_file_for(request.user, item_id)
    item = upload.item
    # A player seeking sends many ranges: one audit entry per opening (from byte 0) is enough.
    if request.headers.get("Range", "bytes=0-").startswith("bytes=0-"):
        audit.record(request, Action.DOWNLOAD, subject=_subject(item, request.user), obj=item)
    return encrypted_file_response(
        upload,
        "file",
        filename=upload.original_name,
        content_type=upload.content_type,
        inline=request.GET.get("download") != "1",
        request=request,
    )
