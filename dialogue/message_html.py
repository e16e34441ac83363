"""The markup of one message in the dialogue page, built in Python.

A page shows up to 50 messages, and the template engine spends most of a page's time on the
per-message part: here each message costs a few string joins instead of about twenty template
nodes. Everything from a user is escaped (``format_html``/``escape``); the body arrives as the
HTML that ``dialogue.rendering`` made, escaped, when it was written.
"""

from django.middleware.csrf import get_token
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from pluform.links import link_for


class MessageRenderer:
    """Renders the messages of one page for one reader; labels and links are made once."""

    def __init__(self, dialogue, *, csrf_token: str, can_act: bool):
        self.dialogue = dialogue
        self.can_act = can_act  # no blocker (ended trajectory, restriction)
        self.csrf_input = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token
        )
        self.attachment_url = link_for("dialogue:attachment", dialogue.pk)
        self.preview_url = link_for("dialogue:attachment_preview", dialogue.pk)
        self.edit_url = link_for("dialogue:edit_message", dialogue.pk)
        self.withdraw_url = link_for("dialogue:withdraw_message", dialogue.pk)
        self.remove_url = link_for("dialogue:remove_message", dialogue.pk)
        self.labels = {
            "former": escape(gettext("Former participant")),
            "edited": escape(gettext("edited")),
            "withdrawn": escape(gettext("This message was withdrawn by its author.")),
            "removed": escape(gettext("This message was removed by a coach.")),
            "edit": escape(gettext("Edit")),
            "withdraw": escape(gettext("Withdraw")),
            "remove": escape(gettext("Remove from this dialogue")),
            "image": escape(gettext("Image:")),
            "new": escape(gettext("New since your last visit")),
        }

    def render(self, message, *, first_new=False) -> SafeString:
        anchor = f"m-{message.pk}"
        labels = self.labels
        parts = [
            f'<li id="new" class="new-marker"><span>{labels["new"]}</span></li>'
            if first_new
            else "",
            f'<li class="{message.css}" id="{anchor}">',
            f'<article aria-labelledby="{anchor}-meta">',
            f'<p class="message-meta" id="{anchor}-meta"><strong>',
            escape(message.author_name) if message.author_name else labels["former"],
            f'</strong> <time datetime="{message.time_iso}">{escape(message.time_text)}</time>',
        ]
        if message.edited_at and not message.is_gone:
            parts.append(f' <span class="edited">{labels["edited"]}</span>')
        parts.append("</p>")
        if message.withdrawn_at:
            parts.append(f'<p class="tombstone">{labels["withdrawn"]}</p>')
        elif message.removed_at:
            parts.append(f'<p class="tombstone">{labels["removed"]}</p>')
        else:
            if message.html:
                parts.append(f'<p class="message-body">{message.html}</p>')
            if message.files:
                parts.append(self._attachments(message.files))
            if self.can_act and (message.changeable or self.dialogue.can_lead):
                parts.append(self._actions(message, anchor))
        parts.append("</article></li>")
        return mark_safe("".join(parts))  # noqa: S308  # nosec B308, B703  # every user value above is escaped

    def _attachments(self, files) -> str:
        items = []
        for item in files:
            name = escape(item.original_name)
            preview = ""
            if item.has_preview:
                src = self.preview_url(item.pk)
                preview = (
                    f'<img class="attachment-preview" src="{src}" '
                    f'alt="{self.labels["image"]} {name}" loading="lazy">'
                )
            href = self.attachment_url(item.pk)
            size = escape(filesizeformat(item.size))
            items.append(
                f'<li>{preview}<a href="{href}" download aria-describedby="download-hint">'
                f'{name}</a> <span class="muted">({size})</span></li>'
            )
        return f'<ul class="attachments">{"".join(items)}</ul>'

    def _actions(self, message, anchor) -> str:
        labels, described = self.labels, f'aria-describedby="{anchor}-meta"'
        parts = ['<div class="message-actions">']
        if message.changeable:
            edit, withdraw = self.edit_url(message.pk), self.withdraw_url(message.pk)
            parts.append(f'<a href="{edit}" {described}>{labels["edit"]}</a>')
            parts.append(
                f'<form method="post" action="{withdraw}">{self.csrf_input}'
                f'<button type="submit" class="link" {described}>{labels["withdraw"]}</button>'
                "</form>"
            )
        if self.dialogue.can_lead:
            remove = self.remove_url(message.pk)
            parts.append(f'<a href="{remove}" {described}>{labels["remove"]}</a>')
        parts.append("</div>")
        return "".join(parts)


def render_page(data, request) -> None:
    """Sets ``li`` on each message of a ``queries.DialoguePage``: its markup for ``request``."""
    renderer = MessageRenderer(
        data.dialogue, csrf_token=get_token(request), can_act=not data.blocker
    )
    for message in data.page:
        message.li = renderer.render(message, first_new=message.pk == data.first_new_id)
