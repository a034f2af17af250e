"""Typed records: the part of :mod:`dataclasses` the core uses, made at a fraction of its start-up cost.

Every class of the model, and the few beside it that the command line
loads, is a slotted dataclass with defaults and default factories, some of
them frozen: nothing more. :mod:`dataclasses` gives that at a price paid
in every process before any work is done. Importing it imports
:mod:`inspect`, and with it ``ast``, ``dis`` and ``tokenize``, which the
core uses nowhere else, and it compiles each generated method on its
own. For the two dozen records of
``dockerfile-docs analyze`` that was a third of the command's start-up
(15 of 42 ms, where ``python -c pass`` takes 8).

:func:`record` makes the same methods: an ``__init__`` that takes the
fields in order, as positional or keyword arguments, a ``__repr__``, an
``__eq__`` that compares records of the same class field by field, and for
a frozen record a ``__hash__`` and a ``__setattr__``/``__delattr__`` that
raise :class:`FrozenInstanceError` (and the state :mod:`copy` and
:mod:`pickle` restore past it). Only ``__init__`` is compiled, since
its signature is the fields'; the others are shared functions over an
:func:`operator.attrgetter` of the fields. :func:`replace` is
:func:`dataclasses.replace` for a record.

``dataclass_transform`` tells type checkers that ``@record`` classes are
dataclass-like, as they do for attrs or pydantic, so the model's types are
checked as before.
"""

from __future__ import annotations

from operator import attrgetter

TYPE_CHECKING = False
if TYPE_CHECKING:  # the type checker's names only: importing typing costs the command line's start-up
    from collections.abc import Callable
    from typing import Any, TypeVar, dataclass_transform

    T = TypeVar("T")
else:
    def dataclass_transform(**_: object):
        return lambda decorated: decorated


class FrozenInstanceError(AttributeError):
    """An assignment to a field of a frozen record, as :class:`dataclasses.FrozenInstanceError` is for a dataclass."""


class _Field:
    """A field's default factory, as ``dataclasses.field(default_factory=…)`` declares it."""

    __slots__ = ("default_factory",)

    def __init__(self, default_factory: Callable[[], object]) -> None:
        self.default_factory = default_factory


def field(*, default_factory: Callable[[], T]) -> T:
    """A field whose default is made anew for each record (a list, a dict, a set), never shared between them."""
    return _Field(default_factory)  # type: ignore[return-value]


_MISSING = object()


@dataclass_transform(field_specifiers=(field,))
def record(cls: type[T] | None = None, /, *, frozen: bool = False) -> Any:
    """The class ``cls`` as a slotted record; ``@record`` or ``@record(frozen=True)``."""

    def make(cls: type[T]) -> type[T]:
        return _make_record(cls, frozen)

    return make if cls is None else make(cls)


def replace(instance: T, **changes: object) -> T:
    """A copy of the record ``instance`` with ``changes`` made to its fields."""
    values = {name: getattr(instance, name) for name in instance.__record_fields__}  # type: ignore[attr-defined]
    unknown = changes.keys() - values.keys()
    if unknown:
        raise TypeError(f"{type(instance).__name__} has no field {min(unknown)!r}")
    values.update(changes)
    return type(instance)(**values)


def fields(record_class: type) -> tuple[str, ...]:
    """The names of a record's fields, in their order."""
    return record_class.__record_fields__  # type: ignore[attr-defined, no-any-return]


def _make_record(cls: type[T], frozen: bool) -> type[T]:
    if any(hasattr(base, "__record_fields__") for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__qualname__}: a record does not extend another record (its fields would be lost)")
    names = tuple(
        name for name, annotation in cls.__dict__.get("__annotations__", {}).items()  # noqa: RUF063 - inspect is what this module keeps out
        if not str(annotation).startswith(("ClassVar", "typing.ClassVar"))
    )
    namespace = {key: value for key, value in cls.__dict__.items() if key not in names and key not in ("__dict__", "__weakref__")}
    values = attrgetter(*names) if names else _no_values
    made_methods: dict[str, Any] = {"__init__": _init(cls, names, frozen), "__repr__": _repr(names), "__eq__": _eq(values)}
    if frozen:
        made_methods.update(
            __hash__=_hash(values), __setattr__=_refuse_assignment, __delattr__=_refuse_deletion,
            __getstate__=_frozen_state(names), __setstate__=_restore_frozen,
        )
    else:
        made_methods["__hash__"] = None
    for name, method in made_methods.items():
        namespace.setdefault(name, method)
    namespace.update(__slots__=names, __record_fields__=names, __match_args__=names)
    metaclass: type = type(cls)
    made = metaclass(cls.__name__, cls.__bases__, namespace)
    for name in ("__init__", "__repr__", "__eq__", "__hash__"):
        if made.__dict__[name] is made_methods[name] is not None:
            made_methods[name].__qualname__ = f"{cls.__qualname__}.{name}"
    return made  # type: ignore[no-any-return]


def _init(cls: type, names: tuple[str, ...], frozen: bool) -> Callable[..., None]:
    """``__init__``, the one method compiled from source: its signature is the fields', so calls are checked as a dataclass's are."""
    globals_: dict[str, object] = {"_MISSING": _MISSING, "_set": object.__setattr__}
    parameters: list[str] = []
    body: list[str] = []
    assign = "    _set(self, {name!r}, {value})" if frozen else "    self.{name} = {value}"
    for name in names:
        default = cls.__dict__.get(name, _MISSING)
        value = name
        if isinstance(default, _Field):
            globals_[f"_factory_{name}"] = default.default_factory
            parameters.append(f"{name}=_MISSING")
            value = f"_factory_{name}() if {name} is _MISSING else {name}"
        elif default is not _MISSING:
            if type(default).__hash__ is None:
                raise ValueError(f"{cls.__qualname__}: mutable default {type(default).__name__} for field {name!r}: use field(default_factory=...)")
            globals_[f"_default_{name}"] = default
            parameters.append(f"{name}=_default_{name}")
        elif parameters and "=" in parameters[-1]:
            raise TypeError(f"{cls.__qualname__}: field {name!r} without a default follows one with a default")
        else:
            parameters.append(name)
        body.append(assign.format(name=name, value=value))
    source = "\n".join([f"def __init__(self, {', '.join(parameters)}):", *(body or ["    pass"])])
    exec(source, globals_)  # noqa: S102 - made above from the class's own field names
    return globals_["__init__"]  # type: ignore[return-value]


def _no_values(_: object) -> tuple[()]:
    return ()


def _repr(names: tuple[str, ...]) -> Callable[[object], str]:
    def __repr__(self: object) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({shown})"

    return __repr__


def _eq(values: Callable[[object], object]) -> Callable[[object, object], bool]:
    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return values(self) == values(other)  # type: ignore[no-any-return]

    return __eq__


def _hash(values: Callable[[object], object]) -> Callable[[object], int]:
    def __hash__(self: object) -> int:
        return hash(values(self))

    return __hash__


def _frozen_state(names: tuple[str, ...]) -> Callable[[object], dict[str, object]]:
    """What :mod:`copy` and :mod:`pickle` keep of a frozen record, restored by :func:`_restore_frozen` past its
    refusing ``__setattr__``, as a frozen dataclass's is."""
    def __getstate__(self: object) -> dict[str, object]:
        return {name: getattr(self, name) for name in names}

    return __getstate__


def _restore_frozen(self: object, state: dict[str, object]) -> None:
    for name, value in state.items():
        object.__setattr__(self, name, value)


def _refuse_assignment(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_deletion(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
