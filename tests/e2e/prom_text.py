#!/usr/bin/env python3
"""A strict parser of the Prometheus text exposition format 0.0.4
(https://prometheus.io/docs/instrumenting/exposition_formats/), for tests: anything the format
does not allow raises ValueError with the line number.

Checked: HELP and TYPE at most once per family and before its samples; TYPE one of the five
types; a family's samples contiguous; metric and label names by the grammar; label names unique
per sample and not reserved ("__"); label values with only the escapes \\\\, \\" and \\n; values
as Go's ParseFloat reads them (plus NaN, +Inf, -Inf); optional integer timestamps; no sample
twice; counters not negative; the text ends with a line feed.
"""
import math
import re

METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}
# Sample names that belong to a family of another name (histogram/summary series).
SUFFIXES = ("_bucket", "_count", "_sum")


class Family:
    def __init__(self, name):
        self.name, self.type, self.help = name, None, None
        self.samples = {}  # frozenset of (label, value) pairs -> float

    def value(self, **labels):
        return self.samples[frozenset(labels.items())]

    def get(self, default=0.0, **labels):
        return self.samples.get(frozenset(labels.items()), default)


def _unescape_help(text, where):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            nxt = text[i + 1:i + 2]
            if nxt == "\\":
                out.append("\\")
            elif nxt == "n":
                out.append("\n")
            else:
                raise ValueError(f"{where}: bad escape \\{nxt} in HELP")
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _parse_labels(text, pos, where):
    """Labels from text[pos] == '{'; returns (dict, position after '}')."""
    labels = {}
    pos += 1
    while True:
        if text[pos:pos + 1] == "}":
            return labels, pos + 1
        m = LABEL_NAME.match(text, pos)
        if not m:
            raise ValueError(f"{where}: bad label name at column {pos + 1}")
        name = m.group(0)
        if name.startswith("__"):
            raise ValueError(f"{where}: reserved label name {name}")
        if name in labels:
            raise ValueError(f"{where}: label {name} twice")
        pos = m.end()
        if text[pos:pos + 2] != '="':
            raise ValueError(f"{where}: expected =\" after label {name}")
        pos += 2
        value = []
        while True:
            if pos >= len(text):
                raise ValueError(f"{where}: unterminated label value")
            c = text[pos]
            if c == "\\":
                nxt = text[pos + 1:pos + 2]
                if nxt not in ("\\", '"', "n"):
                    raise ValueError(f"{where}: bad escape \\{nxt} in label {name}")
                value.append("\n" if nxt == "n" else nxt)
                pos += 2
            elif c == '"':
                pos += 1
                break
            elif c == "\n":
                raise ValueError(f"{where}: raw line feed in label {name}")
            else:
                value.append(c)
                pos += 1
        labels[name] = "".join(value)
        if text[pos:pos + 1] == ",":
            pos += 1
        elif text[pos:pos + 1] != "}":
            raise ValueError(f"{where}: expected , or }} after label {name}")


def _parse_value(text, where):
    if text in ("NaN", "+Inf", "-Inf", "Inf"):
        return float(text.replace("Inf", "inf").replace("NaN", "nan"))
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        raise ValueError(f"{where}: bad value {text!r}")
    return float(text)


def parse(text):
    """{family name: Family}."""
    if text and not text.endswith("\n"):
        raise ValueError("the exposition does not end with a line feed")
    families, order, closed = {}, [], set()

    def family(name, where):
        if name not in families:
            families[name] = Family(name)
            order.append(name)
        elif name in closed:
            raise ValueError(f"{where}: family {name} continues after another family")
        return families[name]

    current = None
    for number, line in enumerate(text.split("\n")[:-1], 1):
        where = f"line {number}"
        if line.strip() == "":
            continue
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                if not METRIC_NAME.fullmatch(name):
                    raise ValueError(f"{where}: bad metric name {name!r}")
                if current is not None and current != name:
                    closed.add(current)
                f = family(name, where)
                current = name
                if parts[1] == "HELP":
                    if f.help is not None:
                        raise ValueError(f"{where}: second HELP for {name}")
                    f.help = _unescape_help(parts[3] if len(parts) > 3 else "", where)
                else:
                    if f.type is not None:
                        raise ValueError(f"{where}: second TYPE for {name}")
                    if f.samples:
                        raise ValueError(f"{where}: TYPE for {name} after its samples")
                    kind = parts[3] if len(parts) > 3 else ""
                    if kind not in TYPES:
                        raise ValueError(f"{where}: unknown type {kind!r}")
                    f.type = kind
            continue  # other comments are allowed
        m = METRIC_NAME.match(line)
        if not m:
            raise ValueError(f"{where}: bad metric name in {line!r}")
        name, pos = m.group(0), m.end()
        labels = {}
        if line[pos:pos + 1] == "{":
            labels, pos = _parse_labels(line, pos, where)
        if line[pos:pos + 1] != " ":
            raise ValueError(f"{where}: expected a space before the value")
        fields = line[pos:].strip().split(" ")
        if len(fields) not in (1, 2):
            raise ValueError(f"{where}: expected a value and an optional timestamp")
        value = _parse_value(fields[0], where)
        if len(fields) == 2 and not re.fullmatch(r"-?\d+", fields[1]):
            raise ValueError(f"{where}: bad timestamp {fields[1]!r}")
        base = name
        if name not in families or families[name].type is None:
            for suffix in SUFFIXES:
                stem = name[:-len(suffix)]
                if name.endswith(suffix) and stem in families and \
                        families[stem].type in ("histogram", "summary"):
                    base = stem
        if current is not None and current != base:
            closed.add(current)
        f = family(base, where)
        current = base
        key = frozenset(labels.items()) if base == name else \
            frozenset(list(labels.items()) + [("__name__", name)])
        if key in f.samples:
            raise ValueError(f"{where}: sample {name}{labels} twice")
        if f.type == "counter" and (value < 0 or math.isnan(value)):
            raise ValueError(f"{where}: counter {name} is {value}")
        f.samples[key] = value
    return families
