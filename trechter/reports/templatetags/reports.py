"""Template helpers of the agenda document."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext

from trechter.reports.document import FALLBACK_MARKER, Text

register = template.Library()


@register.filter
def plus(value: float, offset: float) -> float:
    """value + offset for SVG coordinates; Django's `add` would cut 12.5 to 12."""
    return round(float(value) + float(offset), 1)


@register.filter
def inline(value: Any) -> str:
    """A document text, escaped; Dutch shown for want of English gets a visible marker."""
    if isinstance(value, Text) and value.fallback:
        return format_html(
            '<span lang="nl">{}</span> <abbr class="fallback" title="{}">{}</abbr>',
            value.value,
            gettext("No English version yet: the Dutch text is shown."),
            FALLBACK_MARKER,
        )
    return conditional_escape(str(value))


@register.filter
def heading_tag(level: int) -> str:
    """Section level 1–4 as h2–h5: the document title is the page's only h1."""
    return f"h{min(int(level) + 1, 6)}"
