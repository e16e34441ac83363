"""The archive of everything about a data subject: one ZIP, written while it streams.

    data.json    {"schema_version", "purpose", "generated_at", "subject": {"uuid", "role"},
                  "sections": {"<app>.<what>": [record, ...], ...}}
    schema.json  per section its title, description and the meaning of every key
    index.html   the same, readable, in the subject's language (no scripts, nothing external)
    files/...    the subject's files, decrypted

Nothing is held whole in memory: records go out one by one (each section's ``records`` is
read once for data.json and once more for index.html, since a ZIP takes one entry at a time)
and files are copied in chunks. The caller (the access-request task) decides where ``out``
lives and encrypts it; plaintext never touches a temporary file here.

``purpose`` is "access" (everything Pluform holds about the subject, for an access request)
or "portability" (only what the subject provided, from the sections' ``provided``: regulation
1.2.6.5 and 1.3.5.5); data.json and schema.json say which.
"""

import contextlib
import datetime
import json
import re
import shutil
import zipfile
from html import escape  # what django.utils.html.escape does, without its lazy wrapper
from typing import BinaryIO
from urllib.parse import quote

from django.utils import dateformat, formats, timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from privacy import subject_data
from privacy.subject_data import FILES_KEY

SCHEMA_VERSION = "1"
ACCESS = "access"
PORTABILITY = "portability"
PURPOSES = (ACCESS, PORTABILITY)

_FLUSH_AT = 64 * 1024
_COPY_CHUNK = 64 * 1024
_FILES_FOLDER = "files/"
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([+-]\d{2}:\d{2}|Z)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def write_archive(subject, out: BinaryIO, *, progress=None, purpose=ACCESS) -> dict[str, int]:
    """Write the ZIP of everything about ``subject`` (for ``purpose`` "portability": of what
    they provided) to the binary stream ``out``; returns the number of records per section
    name and, under ``"files"``, the number of files.

    ``progress(done, total)`` is called after each section of data.json, of index.html and
    of the files."""
    if purpose not in PURPOSES:
        raise ValueError(f"an archive is for access or portability: {purpose!r}")
    if purpose == PORTABILITY:
        registered = subject_data.provided_sections()
    else:
        registered = subject_data.sections()
    counts: dict[str, int] = {}
    steps = {"done": 0, "total": 3 * len(registered)}

    def tick():
        steps["done"] += 1
        if progress is not None:
            progress(steps["done"], steps["total"])

    with (
        translation.override(subject.language),
        timezone.override(subject.time_zone),
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf,
    ):
        generated_at = timezone.now()
        stamp = timezone.localtime(generated_at).timetuple()[:6]
        _write_data(zf, stamp, subject, registered, generated_at, counts, tick, purpose)
        _write_schema(zf, stamp, registered, generated_at, purpose)
        _write_index(zf, stamp, subject, registered, generated_at, tick, purpose)
        counts["files"] = _write_files(zf, stamp, subject, registered, tick)
    return counts


def _open_entry(zf, name, stamp, size=None):
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16  # readable by the one who unpacks it, nobody else
    if size is not None:
        info.file_size = size
    # A file of unknown size may pass 2 GiB: announce ZIP64 for it up front.
    return zf.open(info, "w", force_zip64=size is None and name.startswith(_FILES_FOLDER))


class _Text:
    """Text written to a ZIP entry as UTF-8, in blocks of about _FLUSH_AT characters."""

    def __init__(self, entry):
        self._entry = entry
        self._parts: list[str] = []
        self._size = 0

    def write(self, text: str) -> None:
        self._parts.append(text)
        self._size += len(text)
        if self._size >= _FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            self._entry.write("".join(self._parts).encode("utf-8"))
            self._parts.clear()
            self._size = 0


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


def _json(value) -> str:
    return _ENCODER.encode(value)


# data.json


def _write_data(zf, stamp, subject, registered, generated_at, counts, tick, purpose) -> None:
    with _open_entry(zf, "data.json", stamp) as entry:
        text = _Text(entry)
        head = {
            "schema_version": SCHEMA_VERSION,
            "purpose": purpose,
            "generated_at": generated_at.isoformat(),
            "subject": {"uuid": str(subject.uuid), "role": subject.role},
        }
        text.write(_json(head)[:-1] + ', "sections": {')
        for number, section in enumerate(registered):
            text.write(("," if number else "") + f"\n{_json(section.name)}: [")
            count = 0
            for record in section.records(subject):
                text.write(",\n" if count else "\n")
                text.write(_json(record))
                count += 1
            text.write("\n]")
            counts[section.name] = count
            tick()
        text.write("\n}}\n")
        text.flush()


# schema.json


def _write_schema(zf, stamp, registered, generated_at, purpose) -> None:
    schema = {
        "schema_version": SCHEMA_VERSION,
        "purpose": purpose,
        "generated_at": generated_at.isoformat(),
        "language": translation.get_language(),
        "format": {
            "purpose": str(
                _(
                    '"access": everything Pluform holds about you, the copy for an access '
                    'request. "portability": only the data you provided yourself (your '
                    "profile, the messages you wrote, your answers, your own toolbox items and "
                    "their files), to take along to another service; a section's fields are "
                    "then those of the data you provided."
                )
            ),
            "data.json": str(
                _(
                    'An object with "schema_version", "purpose" (access or portability), '
                    '"generated_at" (ISO 8601), "subject" '
                    '(its "uuid" and "role") and "sections": per section name a list of '
                    "records. Times are ISO 8601 with their offset from UTC, dates "
                    "YYYY-MM-DD; an absent value is null. A key with a dot in the fields "
                    "below is a key of an object nested in a record (lists are passed "
                    "through): steps.text is the text of each step in the list steps."
                )
            ),
            "files": str(
                _('The files are in the folder files/; a record lists its own under "%(key)s".')
                % {"key": FILES_KEY}
            ),
        },
        "sections": {
            section.name: {
                "title": str(section.title),
                "description": str(section.description),
                "fields": {key: str(meaning) for key, meaning in section.fields.items()},
                "has_files": section.files is not None,
            }
            for section in registered
        },
    }
    with _open_entry(zf, "schema.json", stamp) as entry:
        entry.write(json.dumps(schema, ensure_ascii=False, indent=2).encode("utf-8"))


# index.html

_STYLE = """
body{font-family:system-ui,sans-serif;line-height:1.45;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1d1d1f}
h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2.5rem;border-bottom:1px solid #ccc}
.description,.meta,.count{color:#555}
dl.record{display:grid;grid-template-columns:minmax(10rem,16rem) 1fr;gap:.2rem 1rem;
border:1px solid #ddd;border-radius:4px;padding:.6rem .8rem;margin:.8rem 0}
dl.record dl{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr;gap:.1rem .8rem;
margin:.2rem 0;padding-left:.6rem;border-left:2px solid #eee}
dt{font-weight:600}dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
ul.values{margin:0;padding-left:1.1rem}.none{color:#999}
"""


class _Records:
    """Renders the records of one section as definition lists: escaped, labelled with the
    documented meaning of each key (the key itself as the title), times in the subject's
    time zone. Called for every record, so what is the same for all is worked out once."""

    NONE = '<span class="none">—</span>'

    def __init__(self, fields: dict):
        self._fields = fields
        self._terms: dict[str, str] = {}
        self._yes, self._no = escape(_("yes")), escape(_("no"))
        self._datetime_format = formats.get_format("DATETIME_FORMAT")
        self._date_format = formats.get_format("DATE_FORMAT")

    def record(self, record: dict) -> str:
        return f'<dl class="record">{self._rows(record, "")}</dl>\n'

    def _term(self, path: str) -> str:
        term = self._terms.get(path)
        if term is None:
            label = self._fields.get(path) or path.rsplit(".", 1)[-1]
            term = self._terms[path] = format_html('<dt title="{}">{}</dt>', path, label)
        return term

    def _rows(self, record: dict, prefix: str) -> str:
        rows = []
        for key, value in record.items():
            if value is None or value == "" or (not value and isinstance(value, list | dict)):
                continue  # left out here, null in data.json
            path = f"{prefix}.{key}" if prefix else key
            rows.append(self._term(path))
            rows.append(f"<dd>{self._value(value, path)}</dd>")
        return "".join(rows)

    def _value(self, value, path: str) -> str:
        if value is True or value is False:
            return self._yes if value else self._no
        if not value and value != 0:  # None, "", [] or {} in a list
            return self.NONE
        if isinstance(value, str):
            return self._text(value)
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, dict):
            return f"<dl>{self._rows(value, path)}</dl>"
        if isinstance(value, list | tuple):
            if path == FILES_KEY:
                return self._files(value)
            items = "".join(f"<li>{self._value(item, path)}</li>" for item in value)
            return f'<ul class="values">{items}</ul>'
        return self._text(str(value))

    def _text(self, value: str) -> str:
        """Escaped; an ISO time or date as the subject reads it, in their time zone."""
        if len(value) <= 32 and value[:1].isdigit():
            if _DATETIME.fullmatch(value):
                moment = timezone.localtime(datetime.datetime.fromisoformat(value))
                shown = dateformat.format(moment, self._datetime_format)
                return format_html('<time datetime="{}">{}</time>', value, shown)
            if _DATE.fullmatch(value):
                try:
                    shown = dateformat.format(datetime.date.fromisoformat(value), self._date_format)
                except ValueError:
                    return escape(value)
                return format_html('<time datetime="{}">{}</time>', value, shown)
        return escape(value)

    def _files(self, entries) -> str:
        items = []
        for entry in entries:
            if not isinstance(entry, dict):
                items.append(f"<li>{self._value(entry, FILES_KEY + '.name')}</li>")
                continue
            path, name = str(entry.get("path") or ""), str(entry.get("name") or "")
            if path.startswith(_FILES_FOLDER):
                link = format_html('<a href="{}">{}</a>', quote(path), name or path)
                items.append(f"<li>{link}</li>")
            else:
                items.append(format_html("<li>{}</li>", name or path))
        return f'<ul class="values">{"".join(items)}</ul>'


def _anchor(section) -> str:
    return "section-" + re.sub(r"[^a-z0-9]+", "-", section.name.lower())


def _write_index(zf, stamp, subject, registered, generated_at, tick, purpose) -> None:
    if purpose == PORTABILITY:
        title = _("The data you provided to Pluform")
        about = _(
            "This overview shows the data you provided yourself in Pluform, to take along to "
            "another service. The file data.json in this archive holds the same data in a "
            "machine-readable form (JSON), and schema.json says what each field means. Your "
            "files are in the folder files. Fields without a value are left out here. "
            "Everything Pluform holds about you is in the copy of an access request."
        )
    else:
        title = _("Your data in Pluform")
        about = _(
            "This overview shows the data Pluform holds about you. The file data.json "
            "in this archive holds the same data in a machine-readable form (JSON), "
            "and schema.json says what each field means. Your files are in the "
            "folder files. Fields without a value are left out here."
        )
    made = formats.date_format(timezone.localtime(generated_at), "DATETIME_FORMAT")
    with _open_entry(zf, "index.html", stamp) as entry:
        text = _Text(entry)
        text.write(
            format_html(
                '<!DOCTYPE html>\n<html lang="{}">\n<head>\n<meta charset="utf-8">\n'
                '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
                "style-src 'unsafe-inline'\">\n"
                '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                "<title>{}</title>\n",
                translation.get_language(),
                title,
            )
            + f"<style>{_STYLE}</style>\n</head>\n<body>\n"
        )
        text.write(
            format_html(
                '<h1>{}</h1>\n<p class="meta">{}</p>\n<p>{}</p>\n',
                title,
                _("Made on %(date)s for %(name)s.")
                % {"date": made, "name": subject.get_full_name() or subject.email},
                about,
            )
        )
        contents = "".join(
            format_html('<li><a href="#{}">{}</a></li>', _anchor(section), section.title)
            for section in registered
        )
        text.write(f"<nav>\n<ul>\n{contents}\n</ul>\n</nav>\n")
        for section in registered:
            text.write(
                format_html(
                    '<section id="{}">\n<h2>{}</h2>\n<p class="description">{}</p>\n',
                    _anchor(section),
                    section.title,
                    section.description,
                )
            )
            count, render = 0, _Records(section.fields).record
            for record in section.records(subject):
                text.write(render(record))
                count += 1
            if count:
                line = ngettext("%(count)s record.", "%(count)s records.", count)
            else:
                line = _("Nothing recorded.")
            text.write(
                format_html('<p class="count">{}</p>\n</section>\n', line % {"count": count})
            )
            tick()
        text.write("</body>\n</html>\n")
        text.flush()


# files/


def _checked_path(path: str) -> str:
    parts = path.split("/")
    if (
        not path.startswith(_FILES_FOLDER)
        or "\\" in path
        or any(part in {"", ".", ".."} for part in parts)
        or any(ord(char) < 32 or ord(char) == 127 for char in path)
    ):
        raise ValueError(f"not a path inside {_FILES_FOLDER}: {path!r}")
    return path


def _write_files(zf, stamp, subject, registered, tick) -> int:
    written: set[str] = set()
    for section in registered:
        tick()
        if section.files is None:
            continue
        for item in section.files(subject):
            path = _checked_path(item.path)
            if path in written:  # the same file reached twice: once is enough
                continue
            with (
                contextlib.closing(item.open()) as source,
                _open_entry(zf, path, stamp, item.size) as target,
            ):
                shutil.copyfileobj(source, target, _COPY_CHUNK)
            written.add(path)
    return len(written)
