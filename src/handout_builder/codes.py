"""Clinical codes a handout is about: ICD-10-CM diagnoses, SNOMED CT concepts, RxNorm medicines.

Takes a code system's name (as written in a handout: ``icd-10-cm``, ``snomed-ct``, ``rxnorm``) or
its HL7 OID, and a code; gives whether the code is well formed for that system (with a reason a
person can act on when it is not), the code in its usual written form, and whether a code asked
for (by an EHR, say) is covered by a handout's code. ICD-10-CM codes match by prefix from the
more specific side: a handout coded ``M48.06`` covers a request for ``M48.062``. Other systems
match exactly (SNOMED CT's hierarchy and RxNorm's ingredient links are not known here).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CodeSystem:
    """One code system: its name in handout files, its display name and its HL7 OID."""

    name: str
    title: str
    oid: str


ICD10CM = CodeSystem("icd-10-cm", "ICD-10-CM", "2.16.840.1.113883.6.90")
SNOMEDCT = CodeSystem("snomed-ct", "SNOMED CT", "2.16.840.1.113883.6.96")
RXNORM = CodeSystem("rxnorm", "RxNorm", "2.16.840.1.113883.6.88")
SYSTEMS = {s.name: s for s in (ICD10CM, SNOMEDCT, RXNORM)}
BY_OID = {s.oid: s for s in SYSTEMS.values()}

_ICD10CM = re.compile(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?")
_ICD10CM_LOOSE = re.compile(r"[A-Za-z][0-9][0-9A-Za-z]\.?[0-9A-Za-z]{0,4}")

# Verhoeff's dihedral-group check digit, which SNOMED CT identifiers end with.
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 8, 5),
)
_SNOMED_CONCEPT_PARTITIONS = frozenset({"00", "10"})
_SNOMED_OTHER_PARTITIONS = {
    "01": "a description",
    "11": "a description",
    "02": "a relationship",
    "12": "a relationship",
}


def verhoeff_valid(digits: str) -> bool:
    """True when the last digit of ``digits`` is the Verhoeff check digit of the others."""
    check = 0
    for i, ch in enumerate(reversed(digits)):
        check = _D[check][_P[i % 8][int(ch)]]
    return check == 0


def code_problem(system: str, code: str) -> str | None:
    """Why ``code`` is not a well-formed code of ``system`` (a name in ``SYSTEMS``), or None."""
    if system == ICD10CM.name:
        if _ICD10CM.fullmatch(code):
            return None
        if _ICD10CM_LOOSE.fullmatch(code):
            return (
                f"'{code}' is not written as ICD-10-CM codes are: capital letters, and a dot "
                f"after the third character (e.g. '{normal_form(system, code)}')"
            )
        return (
            f"'{code}' is not an ICD-10-CM code: a letter, two more characters, then "
            "optionally a dot and up to 4 more (e.g. 'M48.06')"
        )
    if system == RXNORM.name:
        if re.fullmatch(r"[1-9][0-9]{0,8}", code):
            return None
        return f"'{code}' is not an RxNorm concept id (RXCUI): digits only, e.g. '704'"
    if system == SNOMEDCT.name:
        if not re.fullmatch(r"[1-9][0-9]{5,17}", code):
            return (
                f"'{code}' is not a SNOMED CT concept id: 6 to 18 digits, not starting with 0 "
                "(e.g. '18347007')"
            )
        if not verhoeff_valid(code):
            return (
                f"'{code}' is not a SNOMED CT concept id: its check digit is wrong "
                "(a digit may be mistyped or two swapped)"
            )
        partition = code[-3:-1]
        if partition in _SNOMED_OTHER_PARTITIONS:
            return (
                f"'{code}' is the id of {_SNOMED_OTHER_PARTITIONS[partition]}, "
                "not of a SNOMED CT concept"
            )
        if partition not in _SNOMED_CONCEPT_PARTITIONS:
            return f"'{code}' is not a SNOMED CT concept id (its partition is '{partition}')"
        return None
    return f"unknown code system '{system}'; expected one of: {', '.join(SYSTEMS)}"


def normal_form(system: str, code: str) -> str:
    """A code as it is usually written: ICD-10-CM in capitals with its dot (``m4806`` gives
    ``M48.06``); other systems with surrounding spaces removed."""
    code = code.strip()
    if system == ICD10CM.name:
        bare = code.replace(".", "").upper()
        return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"
    return code


def covers(system: str, handout_code: str, asked: str) -> bool:
    """True when a handout coded ``handout_code`` answers a request for ``asked`` (same system).

    ICD-10-CM: the handout's code is the asked code or a less specific one (``M48.06`` covers
    ``M48.062``; ``M48.062`` does not cover ``M48.06``). Others: the same code."""
    if system == ICD10CM.name:
        mine = normal_form(system, handout_code).replace(".", "")
        theirs = normal_form(system, asked).replace(".", "")
        return theirs.startswith(mine)
    return normal_form(system, handout_code) == normal_form(system, asked)


def parse_asked(text: str) -> tuple[str | None, str]:
    """A code asked for on the command line: ``CODE`` (any system) or ``SYSTEM:CODE``, the
    system by name or OID (``icd-10-cm:M48.062``, ``2.16.840.1.113883.6.88:704``)."""
    system, sep, code = text.strip().rpartition(":")
    if not sep:
        return None, code
    found = SYSTEMS.get(system.lower()) or BY_OID.get(system)
    if found is None:
        raise ValueError(
            f"unknown code system '{system}'; expected one of: {', '.join(SYSTEMS)} (or their OIDs)"
        )
    return found.name, code


def any_covers(codes: Iterable[tuple[str, str]], asked: str, system: str | None = None) -> bool:
    """True when one of ``codes`` (system, code) covers ``asked``; any system when ``system``
    is None."""
    return any(
        covers(own_system, own_code, asked)
        for own_system, own_code in codes
        if system is None or own_system == system
    )
