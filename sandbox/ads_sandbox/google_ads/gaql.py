"""A parser of the Google Ads Query Language (GAQL), to the shape the API documents:

    SELECT f1, f2 FROM resource [WHERE c1 AND c2 ...] [ORDER BY f [ASC|DESC], ...]
    [LIMIT n] [PARAMETERS name = value, ...]

Conditions are AND-only; operators are = != > >= < <=, [NOT] IN, [NOT] LIKE, CONTAINS
ANY|ALL|NONE, IS [NOT] NULL, DURING, BETWEEN, [NOT] REGEXP_MATCH. Syntax errors carry the
QueryError name the real API answers with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DURING_LITERALS = (
    "TODAY",
    "YESTERDAY",
    "LAST_7_DAYS",
    "LAST_14_DAYS",
    "LAST_30_DAYS",
    "LAST_BUSINESS_WEEK",
    "THIS_MONTH",
    "LAST_MONTH",
    "THIS_WEEK_SUN_TODAY",
    "THIS_WEEK_MON_TODAY",
    "LAST_WEEK_SUN_SAT",
    "LAST_WEEK_MON_SUN",
)
PARAMETERS = ("include_drafts", "omit_unselected_resource_names")


class GaqlError(ValueError):
    """A query the API refuses; `code` is the QueryError (or other) enum name."""

    def __init__(self, code: str, message: str, trigger: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.trigger = trigger


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    operator: str  # "=", "!=", ">", ">=", "<", "<=", "IN", "NOT IN", "LIKE", "NOT LIKE",
    # "CONTAINS ANY", "CONTAINS ALL", "CONTAINS NONE", "IS NULL", "IS NOT NULL", "DURING",
    # "BETWEEN", "REGEXP_MATCH", "NOT REGEXP_MATCH"
    values: tuple[object, ...] = ()


@dataclass(frozen=True, slots=True)
class Ordering:
    field: str
    descending: bool = False


@dataclass(slots=True)
class Query:
    select: list[str]
    resource: str
    where: list[Condition] = field(default_factory=list)
    order_by: list[Ordering] = field(default_factory=list)
    limit: int | None = None
    parameters: dict[str, bool] = field(default_factory=dict)


class Identifier(str):
    """A bare word in a value position (an enum constant, TRUE/FALSE, a DURING literal)."""


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<number>-?\d+(?:\.\d+)?(?![\w.]))
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    | (?P<op>!=|>=|<=|=|>|<|\(|\)|,)
    | (?P<bad>\S)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        assert match is not None
        pos = match.end()
        kind = match.lastgroup or "bad"
        value = match.group(kind)
        if kind == "bad":
            if value in "'\"":
                raise GaqlError("STRING_NOT_TERMINATED", "Error in query: unterminated string.")
            raise GaqlError("BAD_SYMBOL", f"Error in query: unexpected symbol {value!r}.", value)
        out.append(_Token(kind, value))
    return out


class _Parser:
    def __init__(self, text: str, require_from: bool) -> None:
        self.tokens = _tokens(text)
        self.pos = 0
        self.require_from = require_from

    def peek(self, offset: int = 0) -> _Token | None:
        i = self.pos + offset
        return self.tokens[i] if i < len(self.tokens) else None

    def keyword(self, *words: str) -> bool:
        """True (and consumed) if the next tokens are these keywords."""
        for i, word in enumerate(words):
            token = self.peek(i)
            if token is None or token.kind != "name" or token.text.upper() != word:
                return False
        self.pos += len(words)
        return True

    def take(self, what: str) -> _Token:
        token = self.peek()
        if token is None:
            raise GaqlError("UNEXPECTED_END_OF_QUERY", f"Error in query: expected {what}.")
        self.pos += 1
        return token

    def name(self, what: str) -> str:
        token = self.take(what)
        if token.kind != "name":
            raise GaqlError(
                "UNEXPECTED_INPUT",
                f"Error in query: expected {what}, got {token.text!r}.",
                token.text,
            )
        return token.text

    def symbol(self, text: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == "op" and token.text == text:
            self.pos += 1
            return True
        return False

    def value(self) -> object:
        token = self.take("a value")
        if token.kind == "string":
            body = token.text[1:-1]
            return re.sub(r"\\(.)", r"\1", body)
        if token.kind == "number":
            return float(token.text) if "." in token.text else int(token.text)
        if token.kind == "name":
            return Identifier(token.text)
        raise GaqlError("BAD_VALUE", f"Error in query: unexpected {token.text!r}.", token.text)

    def values_list(self) -> tuple[object, ...]:
        if not self.symbol("("):
            raise GaqlError("BAD_VALUE", "Error in query: expected a list in parentheses.")
        items = [self.value()]
        while self.symbol(","):
            items.append(self.value())
        if not self.symbol(")"):
            raise GaqlError("BAD_VALUE", "Error in query: expected ')' closing the list.")
        return tuple(items)

    def condition(self) -> Condition:
        name = self.name("a field name")
        token = self.peek()
        if token is None:
            raise GaqlError("UNEXPECTED_END_OF_QUERY", "Error in query: expected an operator.")
        if token.kind == "op" and token.text in ("=", "!=", ">", ">=", "<", "<="):
            self.pos += 1
            return Condition(name, token.text, (self.value(),))
        if self.keyword("IN"):
            return Condition(name, "IN", self.values_list())
        if self.keyword("NOT", "IN"):
            return Condition(name, "NOT IN", self.values_list())
        for words in (("LIKE",), ("NOT", "LIKE"), ("REGEXP_MATCH",), ("NOT", "REGEXP_MATCH")):
            if self.keyword(*words):
                pattern = self.value()
                if not isinstance(pattern, str) or isinstance(pattern, Identifier):
                    raise GaqlError(
                        "BAD_VALUE", f"Error in query: {' '.join(words)} takes a string."
                    )
                return Condition(name, " ".join(words), (pattern,))
        for mode in ("ANY", "ALL", "NONE"):
            if self.keyword("CONTAINS", mode):
                return Condition(name, f"CONTAINS {mode}", self.values_list())
        if self.keyword("IS", "NULL"):
            return Condition(name, "IS NULL")
        if self.keyword("IS", "NOT", "NULL"):
            return Condition(name, "IS NOT NULL")
        if self.keyword("DURING"):
            literal = self.name("a date range literal").upper()
            if literal not in DURING_LITERALS:
                raise GaqlError(
                    "BAD_VALUE", f"Error in query: {literal} is not a date range literal.", literal
                )
            return Condition(name, "DURING", (literal,))
        if self.keyword("BETWEEN"):
            low = self.value()
            if not self.keyword("AND"):
                raise GaqlError("UNEXPECTED_INPUT", "Error in query: BETWEEN takes 'a' AND 'b'.")
            return Condition(name, "BETWEEN", (low, self.value()))
        raise GaqlError("BAD_OPERATOR", f"Error in query: bad operator {token.text!r}.", token.text)

    def parse(self) -> Query:
        if not self.keyword("SELECT"):
            raise GaqlError("EXPECTED_SELECT", "Error in query: expected SELECT.")
        select = [self.name("a field name")]
        while self.symbol(","):
            select.append(self.name("a field name"))
        if self.keyword("FROM"):
            resource = self.name("a resource name")
        elif self.require_from:
            after = self.peek()
            raise GaqlError(
                "EXPECTED_FROM", "Error in query: expected FROM.", after.text if after else None
            )
        else:
            resource = ""
        query = Query(select, resource)
        if self.keyword("WHERE"):
            query.where.append(self.condition())
            while self.keyword("AND"):
                query.where.append(self.condition())
            if self.keyword("OR"):
                raise GaqlError("UNEXPECTED_INPUT", "Error in query: OR is not supported.", "OR")
        if self.keyword("ORDER", "BY"):
            while True:
                name = self.name("a field name")
                descending = False
                if self.keyword("DESC"):
                    descending = True
                else:
                    self.keyword("ASC")
                query.order_by.append(Ordering(name, descending))
                if not self.symbol(","):
                    break
        if self.keyword("LIMIT"):
            token = self.take("a limit")
            if token.kind != "number" or "." in token.text:
                raise GaqlError("BAD_LIMIT_VALUE", "Error in query: LIMIT takes a whole number.")
            query.limit = int(token.text)
            if query.limit <= 0:
                raise GaqlError("LIMIT_VALUE_TOO_LOW", "Error in query: LIMIT must be positive.")
        if self.keyword("PARAMETERS"):
            while True:
                name = self.name("a parameter")
                if name not in PARAMETERS:
                    raise GaqlError(
                        "BAD_PARAMETER_NAME", f"Error in query: unknown parameter {name!r}.", name
                    )
                if not self.symbol("="):
                    raise GaqlError("UNEXPECTED_INPUT", "Error in query: expected '='.")
                value = self.value()
                if not isinstance(value, Identifier) or value.lower() not in ("true", "false"):
                    raise GaqlError(
                        "BAD_PARAMETER_VALUE", f"Error in query: {name} takes true or false."
                    )
                query.parameters[name] = value.lower() == "true"
                if not self.symbol(","):
                    break
        leftover = self.peek()
        if leftover is not None:
            raise GaqlError(
                "UNEXPECTED_INPUT", f"Error in query: unexpected {leftover.text!r}.", leftover.text
            )
        return query


def parse(text: str, require_from: bool = True) -> Query:
    """A query of GoogleAdsService (require_from), or of GoogleAdsFieldService (no FROM)."""
    if not text or not text.strip():
        raise GaqlError("QUERY_ERROR", "Error in query: the query is empty.")
    return _Parser(text, require_from).parse()
