"""The XML and time basics that the REFI-QDA writers share: GUIDs, escaping, timestamps, zip dates.

Every GUID is derived (uuid5) from stable ids, so exporting the same inputs twice gives the same
bytes; no clock is read unless the caller gives a timestamp. See :mod:`fritekst.outputs.refi`.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime, timezone

from .._version import __version__
from ..errors import InputError

__all__ = ["CODEBOOK_NS", "ORIGIN", "PROJECT_NS", "date_text", "parse_timestamp", "stable_guid",
           "timestamp_text", "xml_attr", "xml_text", "zip_date"]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = f"fritekst {__version__}"
#: Zip entries cannot be dated before 1980; without a timestamp every entry gets this fixed date.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://pypi.org/project/fritekst/refi-qda")
_GUID_SEED = hashlib.sha1(_NAMESPACE.bytes)
_VARIANT = {f"{n:x}": f"{(n & 0x3) | 0x8:x}" for n in range(16)}
# Characters XML 1.0 cannot carry at all (control characters from spreadsheets, lone surrogates).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                               "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def stable_guid(*parts: object) -> str:
    r"""A GUID that depends only on ``parts`` (a uuid5), so repeated exports agree.

    Examples
    --------
    >>> stable_guid("code", "ansette", "okonomi") == stable_guid("code", "ansette", "okonomi")
    True
    >>> stable_guid("case", "0301") == str(uuid.uuid5(_NAMESPACE, "case\x1f0301"))
    True
    """
    # uuid.uuid5 by hand: the same value without a UUID object per call (a million calls at 100k
    # answers). SHA-1 of namespace + name; then the version nibble (5) and the RFC 4122 variant bits.
    digest = _GUID_SEED.copy()
    digest.update("\x1f".join(map(str, parts)).encode("utf-8"))
    h = digest.hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


def xml_attr(value: object) -> str:
    """A quoted XML attribute value; line breaks survive as character references."""
    return '"' + _NOT_XML.sub("\ufffd", str(value)).translate(_ATTR_ESCAPES) + '"'


def xml_text(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value)).translate(_TEXT_ESCAPES)


def parse_timestamp(text: str) -> datetime:
    """Read an ISO 8601 date or time; one without a zone is taken as UTC (same file everywhere).

    Examples
    --------
    >>> parse_timestamp("2024-05-31T14:00:00+02:00").isoformat()
    '2024-05-31T14:00:00+02:00'
    >>> parse_timestamp("2024-05-31").isoformat()
    '2024-05-31T00:00:00+00:00'
    """
    try:
        # Python 3.10's fromisoformat does not know the "Z" suffix.
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise InputError(f"timestamp {text!r} is not an ISO 8601 date or time; use e.g. 2024-05-31 "
                         "or 2024-05-31T14:00:00Z", code="E505", option="timestamp") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def timestamp_text(timestamp: datetime | None) -> str | None:
    if timestamp is None:
        return None
    if timestamp.tzinfo is not None:
        timestamp = timestamp.astimezone(timezone.utc)
    return timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def zip_date(timestamp: datetime | None) -> tuple[int, int, int, int, int, int]:
    if timestamp is None:
        return ZIP_EPOCH
    if timestamp.tzinfo is not None:
        timestamp = timestamp.astimezone(timezone.utc)
    if timestamp.year < 1980:
        raise InputError(f"timestamp {timestamp.isoformat()} is before 1980, which a zip archive cannot "
                         "store; give a later timestamp", code="E505", option="timestamp")
    return (timestamp.year, timestamp.month, timestamp.day, timestamp.hour, timestamp.minute,
            timestamp.second)



def date_text(value: str) -> str | None:
    """A hand coding's ``decided_at`` as an xsd:dateTime in UTC, or None when blank or unreadable."""
    if not value or value in ("nan", "<NA>", "None"):
        return None
    try:
        return timestamp_text(parse_timestamp(value))
    except InputError:
        return None

