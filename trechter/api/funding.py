"""Funding instruments and the proposals that name them."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate

from trechter.api.auth import READ_AUTH
from trechter.api.common import Mapped
from trechter.api.schemas import Detail, InstrumentDetail, InstrumentItem
from trechter.funding.models import Instrument

router = Router(tags=["funding instruments"])
FIELDS = ("key", "name", "name_en", "acronym", "level", "trl_from", "trl_to")


def _instrument(instrument: Instrument) -> dict[str, Any]:
    return {name: getattr(instrument, name) for name in FIELDS}


@router.get("/instruments", response=list[InstrumentItem], auth=READ_AUTH, summary="Funding instruments, by name")
@paginate(LimitOffsetPagination)
def instrument_list(request: HttpRequest) -> Any:
    return Mapped(Instrument.objects.order_by("name", "key"), _instrument)


@router.get(
    "/instruments/{key}", response={200: InstrumentDetail, 404: Detail}, auth=READ_AUTH, summary="One instrument"
)
def instrument_detail(request: HttpRequest, key: str) -> dict[str, Any]:
    instrument = Instrument.objects.filter(key=key).first()
    if instrument is None:
        raise Http404(f"No instrument '{key}'.")
    uses = instrument.proposals.select_related("proposal").order_by("proposal__key")
    return {
        **_instrument(instrument),
        "notes_nl": instrument.notes_nl,
        "source": instrument.source,
        "rules": instrument.rules,
        "rules_note": instrument.rules_note,
        "proposals": [{"proposal": use.proposal.key, "state": use.state} for use in uses],
    }
