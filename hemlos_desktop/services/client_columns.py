"""The columns of the client register's CSV/XLSX files and the words read in them, in Swedish,
Danish and English (``services.client_io`` reads and writes the files)."""

from __future__ import annotations

from hemlos_desktop.models.client import Gender, TargetGroup
from hemlos_desktop.models.identity import IdKind

# Column key -> header names per language (sv, da, en); any of them is read, in any letter case.
COLUMNS: dict[str, dict[str, str]] = {
    "id_number": {"en": "id_number", "sv": "personnummer", "da": "cpr"},
    "id_kind": {"en": "id_kind", "sv": "id_typ", "da": "id_type"},
    "first_name": {"en": "first_name", "sv": "förnamn", "da": "fornavn"},
    "last_name": {"en": "last_name", "sv": "efternamn", "da": "efternavn"},
    "alias": {"en": "alias", "sv": "alias", "da": "alias"},
    "gender": {"en": "gender", "sv": "kön", "da": "køn"},
    "birth_date": {"en": "birth_date", "sv": "födelsedatum", "da": "fødselsdato"},
    "language": {"en": "language", "sv": "språk", "da": "sprog"},
    "phone": {"en": "phone", "sv": "telefon", "da": "telefon"},
    "email": {"en": "email", "sv": "e-post", "da": "e-mail"},
    "address": {"en": "address", "sv": "adress", "da": "adresse"},
    "target_groups": {"en": "target_groups", "sv": "målgrupper", "da": "målgrupper"},
    "team": {"en": "team", "sv": "team", "da": "team"},
    "responsible": {"en": "responsible", "sv": "ansvarig", "da": "ansvarlig"},
    "protected_identity": {
        "en": "protected_identity",
        "sv": "skyddad_identitet",
        "da": "beskyttet_identitet",
    },
}
EXTRA_HEADER_NAMES: dict[str, str] = {
    "personnummer/samordningsnummer": "id_number",
    "samordningsnummer": "id_number",
    "cpr-nummer": "id_number",
    "cpr_nummer": "id_number",
    "reservnummer": "id_number",
    "förnamn ": "first_name",
    "e-mail": "email",
    "epost": "email",
    "mail": "email",
    "sex": "gender",
}
REQUIRED = ("id_number", "first_name", "last_name", "gender")

GENDER_WORDS: dict[str, Gender] = {
    "woman": Gender.WOMAN, "female": Gender.WOMAN, "f": Gender.WOMAN, "w": Gender.WOMAN,
    "kvinna": Gender.WOMAN, "k": Gender.WOMAN, "kvinde": Gender.WOMAN,
    "man": Gender.MAN, "male": Gender.MAN, "m": Gender.MAN, "mand": Gender.MAN,
    "other": Gender.OTHER, "annat": Gender.OTHER, "andet": Gender.OTHER, "annan": Gender.OTHER,
    "not_stated": Gender.NOT_STATED, "not stated": Gender.NOT_STATED, "": Gender.NOT_STATED,
    "ej angivet": Gender.NOT_STATED, "ikke oplyst": Gender.NOT_STATED, "okänt": Gender.NOT_STATED,
    "ukendt": Gender.NOT_STATED, "unknown": Gender.NOT_STATED,
}  # fmt: skip
GENDER_OUT: dict[str, dict[Gender, str]] = {
    "en": {Gender.WOMAN: "woman", Gender.MAN: "man", Gender.OTHER: "other",
           Gender.NOT_STATED: "not stated"},
    "sv": {Gender.WOMAN: "kvinna", Gender.MAN: "man", Gender.OTHER: "annat",
           Gender.NOT_STATED: "ej angivet"},
    "da": {Gender.WOMAN: "kvinde", Gender.MAN: "mand", Gender.OTHER: "andet",
           Gender.NOT_STATED: "ikke oplyst"},
}  # fmt: skip
KIND_WORDS: dict[str, IdKind] = {
    "personnummer": IdKind.PERSONNUMMER, "samordningsnummer": IdKind.SAMORDNINGSNUMMER,
    "cpr": IdKind.CPR, "reserve": IdKind.RESERVE, "reservnummer": IdKind.RESERVE,
    "erstatningsnummer": IdKind.RESERVE, "none": IdKind.NONE, "ingen": IdKind.NONE,
}  # fmt: skip
YES = {"1", "yes", "ja", "true", "x", "sant", "sand"}
NO = {"", "0", "no", "nej", "false", "falskt", "falsk"}

TARGET_WORDS: dict[str, TargetGroup] = {
    **{g.value: g for g in TargetGroup},
    "over 65": TargetGroup.OVER_65, "över 65": TargetGroup.OVER_65, "65+": TargetGroup.OVER_65,
    "missbruk": TargetGroup.SUBSTANCE_ABUSE, "misbrug": TargetGroup.SUBSTANCE_ABUSE,
    "psykiatri": TargetGroup.PSYCHIATRIC_DISABILITY,
    "psykisk funktionsnedsättning": TargetGroup.PSYCHIATRIC_DISABILITY,
    "psykisk funktionsnedsættelse": TargetGroup.PSYCHIATRIC_DISABILITY,
    "ung vuxen": TargetGroup.YOUNG_ADULT, "unga vuxna": TargetGroup.YOUNG_ADULT,
    "ung": TargetGroup.YOUNG_ADULT, "unge": TargetGroup.YOUNG_ADULT,
    "barnfamilj": TargetGroup.FAMILY_WITH_CHILDREN,
    "familie med børn": TargetGroup.FAMILY_WITH_CHILDREN,
    "samsjuklighet": TargetGroup.DUAL_DIAGNOSIS, "dobbeltdiagnose": TargetGroup.DUAL_DIAGNOSIS,
    "dual diagnosis": TargetGroup.DUAL_DIAGNOSIS,
    "npf": TargetGroup.NEURODEVELOPMENTAL,
}  # fmt: skip
