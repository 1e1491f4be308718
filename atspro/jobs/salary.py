"""Salary figures in posting text: ranges, k-suffixes, currencies and pay periods."""

from __future__ import annotations

import re

from atspro.jobs.model import Salary

_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB",
            "₺": "TRY", "₪": "ILS", "₱": "PHP", "₦": "NGN", "R$": "BRL", "C$": "CAD", "CA$": "CAD",
            "A$": "AUD", "AU$": "AUD", "NZ$": "NZD", "US$": "USD", "HK$": "HKD", "S$": "SGD",
            "CHF": "CHF", "zł": "PLN", "kr": "SEK"}  # fmt: skip
_CODES = (
    "USD|EUR|GBP|CAD|AUD|NZD|CHF|JPY|INR|SEK|NOK|DKK|PLN|CZK|HUF|SGD|HKD|BRL|MXN|ZAR|"
    "ILS|AED|TRY|KRW|CNY|RUB|RON|BGN|PHP|NGN|KES|ARS|CLP|COP"
)
_CURRENCY = rf"(?:R\$|C\$|CA\$|A\$|AU\$|NZ\$|US\$|HK\$|S\$|[$€£¥₹₩₽₺₪₱₦]|\b(?:{_CODES})\b|zł)"
_NUMBER = r"\d{1,3}(?:[,.\s ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"


def _amount(name: str) -> str:
    return (
        rf"(?P<{name}1>{_CURRENCY})?\s?(?P<{name}n>{_NUMBER})\s?(?P<{name}k>[kKmM]\b)?"
        rf"\s?(?P<{name}2>{_CURRENCY})?"
    )


_RANGE = re.compile(
    _amount("a") + r"(?:\s*(?:-|\u2013|\u2014|to|bis|and|until)\s*" + _amount("b") + r")?"
)
_PERIODS = (
    ("hour", r"(?:\b(?:per|an|a|each)\s+|/\s*)(?:hour|hr|h)\b|\bhourly|\bph\b"),
    ("day", r"(?:\b(?:per|a)\s+|/\s*)(?:day|diem)\b|\bdaily"),
    ("week", r"(?:\b(?:per|a)\s+|/\s*)(?:week|wk)\b|\bweekly"),
    ("month", r"(?:\b(?:per|a)\s+|/\s*)(?:month|mo|mth)\b|\bmonthly|\bpcm\b"),
    (
        "year",
        r"(?:\b(?:per|a|pro)\s+|/\s*)(?:year|yr|annum|anno|jahr)\b|\bannual(?:ly)?|\byearly|\bp\.?a\.?(?!\w)|\bOTE\b",
    ),
)
_PAY_WORDS = re.compile(
    r"\bp\.a\.|salary|compensation|pay\b|pay range|base|wage|rate|remuneration|gehalt|ote\b|per\s+(?:year|hour|annum|month)|/\s*(?:yr|hr|year|hour)|hourly|annual",
    re.IGNORECASE,
)
_NOT_MONEY_AFTER = re.compile(
    r"^\s*(?:\+?\s*(?:years?|yrs?|months?|weeks?|days?|hours?(?!ly)|%|percent|employees|people|users|customers|countries|offices|million users|x\b))",
    re.I,
)


def _value(number: str, suffix: str | None) -> float | None:
    text = number.replace(" ", "").replace("\u202f", "").replace(" ", "")
    # "70.000" and "70,000" are thousands; "70.5" and "70,5" are decimals.
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text):
        text = re.sub(r"[.,]", "", text)
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d{1,2}", text):
        text = text.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d{1,2}", text):
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    if suffix:
        value *= 1_000 if suffix.lower() == "k" else 1_000_000
    return value


def _currency(*tokens: str | None) -> str:
    for token in tokens:
        if token:
            return _SYMBOLS.get(token, _SYMBOLS.get(token.upper(), token.upper()))
    return ""


def _period(text: str, low: float) -> str:
    for name, pattern in _PERIODS:
        if re.search(pattern, text, re.IGNORECASE):
            return name
    if low >= 10_000:
        return "year"
    if low < 300:
        return "hour"
    return ""


def parse_salary(text: str, *, labelled: bool = False) -> Salary | None:
    """The first salary figure or range in ``text``; None when there is none.

    Bare numbers count only when ``labelled`` (the text follows a "Salary:" label) or a
    pay word sits in the same line; amounts with a currency always count.
    """
    has_pay_word = labelled or bool(_PAY_WORDS.search(text))
    for match in _RANGE.finditer(text):
        groups = match.groupdict()
        low = _value(groups["an"], groups["ak"])
        if low is None:
            continue
        high = _value(groups["bn"], groups["bk"]) if groups["bn"] else None
        # "120-150k": the suffix on the upper bound applies to both.
        if high is not None and groups["bk"] and not groups["ak"] and low < 1000 <= high:
            low *= 1_000 if groups["bk"].lower() == "k" else 1_000_000
        currency = _currency(groups["a1"], groups["a2"], groups["b1"], groups["b2"])
        if _NOT_MONEY_AFTER.match(text[match.end() :]) and not currency:
            continue
        if not currency and not has_pay_word:
            continue
        if not currency and high is None and 1900 <= low <= 2100 and not groups["ak"]:
            continue  # a year, not an amount
        if not currency and low < 100 and not groups["ak"] and high is None:
            continue  # "5" next to "salary" is rarely the salary itself
        if high is not None and high < low:
            high = None
        context = text[max(0, match.start() - 40) : match.end() + 40]
        return Salary(
            text=match.group(0).strip(),
            min=low,
            max=high if high is not None else low,
            currency=currency,
            period=_period(context, low),
        )
    return None
