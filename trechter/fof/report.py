"""A company's feedback report (issue 9) as the agenda document's format-neutral structure
(reports/document.py), so the same three renderers make it HTML, PDF and DOCX: the decision
and the label, the agreed level per aspect with the jury's comments, the company against the
round's distribution (a chart and a table), what goes well and what to improve."""

from __future__ import annotations

from django.utils import formats, translation
from django.utils.translation import gettext as _

from trechter.fof import charts, queries
from trechter.fof.models import Application
from trechter.reports.document import BulletList, Document, Facts, Figure, Paragraph, Section, Table


def feedback_document(application: Application, *, language: str) -> Document:
    with translation.override(language):
        data = queries.report(application)
        round_ = application.round
        method = round_.method
        names = data.names
        title = (round_.title_en if language == "en" and round_.title_en else "") or round_.title_nl
        positions = {p.aspect: p for p in data.feedback.positions}
        svg, width, height = charts.levels_svg(
            method, data.feedback, names, title=_("Agreed level per aspect against the round"),
            legend=(application.organisation.name, _("mean of the round"), _("award level")),
        )  # fmt: skip
        decision = (
            _("Awarded: the company may call itself a Factory of the Future until %(day)s.")
            % {"day": formats.date_format(application.label_valid_until, "j F Y")}
            if application.awarded and application.label_valid_until
            else _("Not awarded this year: every aspect must reach level %(level)s.") % {"level": method.award_level}
        )
        rows = tuple(
            (
                names[key],
                str(positions[key].level),
                formats.number_format(positions[key].mean, 1),
                _position(positions[key].share_below, data.companies),
                " · ".join(data.comments.get(key, [])) or "—",
            )
            for key in method.keys
            if key in positions
        )
        caption = _(
            "Agreed level per aspect, the round's mean, the share of the other companies below it, and the "
            "jury's comments"
        )
        header = (_("Aspect"), _("Level"), _("Round mean"), _("Above"), _("The jury's comments"))
        sections = (
            Section("decision", "1", _("Decision"), (
                Paragraph(decision, "lead"),
                Facts((
                    (_("Company"), (application.organisation.name,)),
                    (_("Side"), (str(application.get_side_display()),)),
                    (_("Round"), (title,)),
                    (_("Announced on"), (formats.date_format(round_.announce_on, "j F Y"),)),
                    (_("Companies assessed"), (str(data.companies),)),
                )),
            )),
            Section("levels", "2", _("Level per aspect"), (
                Table("levels", caption, header, rows, numeric=(1, 2, 3)),
                Figure("levels", _("The company against the mean of the round; the dashed line is the award level."),
                       svg, width, height),
            )),
            Section("strengths", "3", _("What goes well"), (
                BulletList(tuple(names[k] for k in data.feedback.strengths)) if data.feedback.strengths
                else Paragraph(_("No aspect reaches the award level yet.")),
            )),
            Section("improve", "4", _("What to improve"), (
                BulletList(tuple(
                    _("%(aspect)s: level %(level)s of the %(needed)s needed")
                    % {"aspect": names[k], "level": positions[k].level, "needed": method.award_level}
                    for k in data.feedback.improvements
                )) if data.feedback.improvements else Paragraph(_("Every aspect reaches the award level.")),
            )),
        )  # fmt: skip
        return Document(
            language=language,
            title=_("Feedback report"),
            subtitle=application.organisation.name,
            title_lines=(title, _("FoF / Smart Industry assessment")),
            sections=sections,
            file_stem=f"fof-{round_.key}-{application.organisation.key}-{language}",
            compact=True,
        )


def _position(share_below: float, companies: int) -> str:
    """The share of the round's other companies at a lower level, as a percentage ("—" alone)."""
    return f"{round(share_below * 100)} %" if companies > 1 else "—"
