"""Upsert rows by natural key and count what changed: the write side of `load_seed`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models
from django.utils import translation

M = TypeVar("M", bound=models.Model)


@dataclass
class LoadResult:
    """Rows created, updated and deleted per model (rows already equal are not counted)."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], model: type[models.Model] | str, n: int = 1) -> None:
        if isinstance(model, str):
            name = model
        else:
            with translation.override("en"):  # stable keys for callers, whatever the active language
                name = str(model._meta.verbose_name_plural)
        bucket[name] = bucket.get(name, 0) + n

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or any(self.deleted.values())


class Writer:
    """Upserts rows by their natural key and records what changed.

    Each model's rows are read once into an index keyed by the lookup fields, so a load
    costs one SELECT per model and one write per changed row, not a query per record.
    """

    def __init__(self, result: LoadResult):
        self.result = result
        self.created: set[tuple[type[models.Model], Any]] = set()
        self.indexes: dict[tuple[type[models.Model], tuple[str, ...]], dict[tuple[Any, ...], Any]] = {}

    def _index(self, model: type[M], fields: tuple[str, ...]) -> dict[tuple[Any, ...], M]:
        if (model, fields) not in self.indexes:
            attnames = [_attname(model, f) for f in fields]
            self.indexes[(model, fields)] = {
                tuple(getattr(obj, a) for a in attnames): obj for obj in model._default_manager.all()
            }
        return self.indexes[(model, fields)]

    def upsert(self, model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
        fields = tuple(sorted(lookup))
        index = self._index(model, fields)
        index_key = tuple(_plain(lookup[f]) for f in fields)
        obj = index.get(index_key)
        if obj is None:
            obj = model(**lookup, **values)
            self._clean(obj)
            obj.save()
            index[index_key] = obj
            self.created.add((model, obj.pk))
            self.result.count(self.result.created, model)
            return obj
        changed = [name for name, value in values.items() if _stored(obj, name) != _plain(value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            self._clean(obj)
            obj.save(update_fields=changed)
            if (model, obj.pk) not in self.created:  # a second pass over a new row is part of its creation
                self.result.count(self.result.updated, model)
        return obj

    @staticmethod
    def _clean(obj: models.Model) -> None:
        """Field validation (lengths, choices); foreign keys were checked by the data set and
        validating them here would cost a query each. Constraints are the database's job."""
        relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)

    def sync(
        self, model: type[M], scope: models.QuerySet[Any], rows: Iterable[tuple[dict[str, Any], dict[str, Any]]]
    ) -> None:
        """Upsert `rows` of (lookup, values), then delete the rows of `scope` — the children of
        the data set's records — that are not among them, in one statement."""
        kept = [self.upsert(model, lookup, values).pk for lookup, values in rows]
        self.prune(scope, kept)

    def prune(self, queryset: models.QuerySet[Any], keep_ids: Iterable[int]) -> None:
        """Delete the rows of `queryset` (children of seed records) that the data set no longer has."""
        _, per_model = queryset.exclude(pk__in=list(keep_ids)).delete()
        n = per_model.get(queryset.model._meta.label, 0)
        if n:
            self.result.count(self.result.deleted, queryset.model, n)
            for model, fields in list(self.indexes):
                if model is queryset.model:
                    del self.indexes[(model, fields)]

    def set_m2m(self, manager: Any, objects: list[models.Model]) -> None:
        """Make the links of `manager` exactly `objects`; counted as changed links of the owner."""
        current = set(manager.values_list("pk", flat=True))
        wanted = {o.pk for o in objects}
        if current != wanted:
            manager.set(objects)
            owner = type(manager.instance)
            if (owner, manager.instance.pk) not in self.created:
                self.result.count(self.result.updated, f"{owner._meta.model_name} links")


def _attname(model: type[models.Model], name: str) -> str:
    """The column attribute of field `name`: `theme_id` for the foreign key `theme`."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is not a concrete field"
    return field.attname


def _stored(obj: models.Model, name: str) -> Any:
    """The stored value of field `name`, a foreign key as its id (no query)."""
    return getattr(obj, _attname(type(obj), name))


def _plain(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value
