"""Presentation helpers shared by every page: content in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def localized(obj: Any, field: str) -> Any:
    """`obj.<field>_en` for English readers when it is filled in, else `obj.<field>_nl`.

    Works on model instances and on dicts (snapshots, plain query rows)."""

    def read(name: str) -> Any:
        if isinstance(obj, dict):
            return obj.get(name)
        return getattr(obj, name, None)

    if (get_language() or "nl").startswith("en"):
        english = read(f"{field}_en")
        if english:
            return english
    dutch = read(f"{field}_nl")
    return dutch if dutch is not None else read(field)


@register.filter
def euros(value: int | None) -> str:
    """A whole-euro amount with thin-space thousands: 1 500 000 → '€ 1 500 000'."""
    if value is None:
        return ""
    return "€\u00a0" + f"{value:,}".replace(",", "\u202f")


# Snapshot keys that are not editable fields of a proposal.
SNAPSHOT_LABELS = {
    "theme": _("theme"),
    "parent": _("part of"),
    "parties": _("parties"),
    "instruments": _("funding instruments"),
}


@register.filter
def proposal_field(name: str) -> Any:
    """The translated label of a proposal field named in a diff ('title_nl' → 'title (Dutch)')."""
    from trechter.agenda.models import Proposal

    if name in SNAPSHOT_LABELS:
        return SNAPSHOT_LABELS[name]
    try:
        return getattr(Proposal._meta.get_field(name), "verbose_name", name)
    except FieldDoesNotExist:
        return theme_field(name)  # histories of themes use the same table


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """mapping[key] in a template; the key itself when it is missing."""
    return mapping.get(key, key)


@register.filter
def stages(keys: list[str] | None) -> str:
    """Value-chain stage keys as their translated labels, comma-separated."""
    from trechter.vocabulary import VALUE_CHAIN_STAGES

    labels = dict(VALUE_CHAIN_STAGES)
    return ", ".join(str(labels.get(key, key)) for key in keys or [])


@register.simple_tag
def change_cells(change: Any) -> str:
    """The two cells of a diff row: long texts get a word-level diff, other values old/new.
    Every piece of text is escaped; only our own <del>/<ins>/<td> markup is added."""
    from django.utils.html import format_html, format_html_join

    from trechter.analytics.diff import word_diff

    old, new = change.old, change.new
    if change.field == "value_chain":
        old, new = stages(old), stages(new)

    def shown(value: Any) -> Any:
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        return "—" if value in (None, "") else value

    if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > 80:
        pieces = word_diff(old, new)
        before = format_html_join(
            "",
            "{}",
            ((format_html("<del>{}</del>", t) if op == "delete" else t,) for op, t in pieces if op != "insert"),
        )
        after = format_html_join(
            "",
            "{}",
            ((format_html("<ins>{}</ins>", t) if op == "insert" else t,) for op, t in pieces if op != "delete"),
        )
        return format_html('<td class="text">{}</td><td class="text">{}</td>', before, after)
    return format_html("<td><del>{}</del></td><td><ins>{}</ins></td>", shown(old), shown(new))


@register.filter
def get_label(form: Any, name: str) -> Any:
    """The label of field `name` of `form`; the name when the form has no such field."""
    return form[name].label if name in form.fields else name


@register.filter
def theme_field(name: str) -> Any:
    """The translated label of a theme field named in a diff ('aim_nl' → 'aim (Dutch)');
    answers ("answer <question> <band> <n> (nl)") read as "Answer: <question>, <band> …"."""
    from trechter.agenda.models import Theme

    if name.startswith("answer "):
        _word, question, band, number, language = name.split(" ", 4)
        label = _("Answer")
        return f"{label}: {question}, {band}, {number} {language}"

    try:
        return getattr(Theme._meta.get_field(name), "verbose_name", name)
    except FieldDoesNotExist:
        return name


@register.simple_tag(takes_context=True)
def language_url(context: Any, code: str) -> str:
    """This page in language `code`: the URL's language prefix swapped. Paths themselves are
    not translated, so no resolving is needed — and it also works on a 404 page."""
    request = context.get("request")
    if request is None:
        return f"/{code}/"
    path = request.get_full_path()
    _empty, first, rest = path.split("/", 2) if path.count("/") >= 2 else ("", "", "")
    if first in {language for language, _name in settings.LANGUAGES}:
        return f"/{code}/{rest}"
    return f"/{code}/"
