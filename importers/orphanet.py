"""Orphanet (Orphadata) importer: nomenclature and classification XML.

Reads the real Orphadata formats in any language, ISO-8859-1 or UTF-8:

* nomenclature: the Nomenclature Pack file ``ORPHAnomenclature_<lang>.xml`` and
  product1 ``<lang>_product1.xml`` (which adds cross-references);
* classification: product3 ``<lang>_product3_<id>.xml`` and the Nomenclature
  Pack's ``ORPHAclassification_<id>_..._<lang>.xml`` (same schema).

Everything is keyed on ORPHAcode, never on labels or internal ``id``
attributes (which differ between files); ``count`` attributes are ignored;
sub-trees repeated under several parents are de-duplicated; inactive codes
keep their "moved to" / "referred to" redirects. All Orphanet quirks live here.
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from directory.conditions.records import (
    CLASSIFICATION_LEVEL,
    ClassificationEdgeRecord,
    ClassificationNode,
    ClassificationRelease,
    CrossRef,
    NomenclatureEntry,
    NomenclatureRelease,
    Redirect,
    ReleaseInfo,
)
from directory.errors import InputRejected
from directory.reports import Problem
from importers.base import SourceFile
from importers.xmlread import XmlDocument, parse_xml, text_of

ATTRIBUTION = (
    "Orphanet: an online rare disease and orphan drug data base. © INSERM 1999. "
    "Available on http://www.orpha.net. Orphadata: Free access data from Orphanet. "
    "© INSERM 1999. Available on https://www.orphadata.com. Licence: CC BY 4.0."
)
DEFAULT_LICENCE = "CC-BY-4.0"

DEFINITION_SECTION = "16907"  # TextSectionType id of "Definition", in every language
REDIRECT_KINDS = {"21471": "moved_to", "27341": "referred_to"}
# Status: FlagValue (Nomenclature Pack) / DisorderFlag ids (product1).
# Labels are translated, ids are not; English labels are the fallback.
STATUS_BY_LABEL = {
    "active": "active",
    "inactive: obsolete": "obsolete",
    "inactive: deprecated": "deprecated",
    "inactive: non rare disease in europe": "obsolete",
}

SOURCE_NOMENCLATURE = "orphanet-nomenclature"
SOURCE_CLASSIFICATION = "orphanet-classification"


def _release_date(root: ET.Element) -> dt.date | None:
    raw = root.get("date") or root.get("ExtractionDate")
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        return None


def _licence(root: ET.Element) -> str:
    ident = text_of(root.find("Availability/Licence/ShortIdentifier"))
    return ident or DEFAULT_LICENCE


def _lang_of(el: ET.Element | None) -> str | None:
    return el.get("lang") if el is not None else None


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError:
        return None
    return value if value > 0 else None


def _wrong_product(name: str, root: ET.Element, expected: str) -> InputRejected:
    found = [child.tag for child in root][:4]
    return InputRejected(
        [
            Problem(
                name,
                f"element <{root.tag}>",
                f"this is not an Orphanet {expected} file: expected {_EXPECTED[expected]}, "
                f"found children {found or 'none'}",
            )
        ],
        f"{name}: not an Orphanet {expected} file",
    )


_EXPECTED = {
    "nomenclature": "JDBOR/DisorderList/Disorder elements with names and synonyms "
    "(Nomenclature Pack or product1)",
    "classification": "JDBOR/ClassificationList/Classification with ClassificationNode trees "
    "(product3)",
}

# Elements that betray another Orphadata product inside a DisorderList.
_OTHER_PRODUCTS = {
    "DisorderGeneAssociationList": "product6 (genes)",
    "HPODisorderAssociationList": "product4 (phenotypes)",
    "AverageAgeOfOnsetList": "product9 (natural history)",
    "PrevalenceList": "product9 (epidemiology)",
    "DisabilityDisorderAssociationList": "functional consequences",
}


def _status(disorder: ET.Element) -> str | None:
    label = text_of(disorder.find("Totalstatus"))
    if label is None:
        for flag in disorder.findall("DisorderFlagList/DisorderFlag"):
            lab = text_of(flag.find("Label")) or ""
            if lab.lower().startswith(("active", "inactive")):
                label = lab
                break
    if label is None:
        return "active" if disorder.find("Totalstatus") is None else None
    label = label.lower().strip()
    if label in STATUS_BY_LABEL:
        return STATUS_BY_LABEL[label]
    # Translated labels: decide by the FlagValue, which is language independent
    # (1 = active; other values mark inactive records).
    flag_value = text_of(disorder.find("FlagValue"))
    if flag_value == "1":
        return "active"
    if "obsol" in label:
        return "obsolete"
    return "deprecated" if flag_value else None


def parse_nomenclature(source: SourceFile) -> NomenclatureRelease:
    """Parse a nomenclature file into records; raise InputRejected with every problem."""
    entries: list[NomenclatureEntry] = []
    problems: list[Problem] = []
    langs: set[str] = set()
    seen: dict[int, int] = {}
    other_product: list[str] = []

    def on_item(el: ET.Element, line: int) -> None:
        if el.tag != "Disorder":
            return
        for tag, product in _OTHER_PRODUCTS.items():
            if el.find(tag) is not None:
                other_product.append(product)
                return
        entry = _nomenclature_entry(el, line, source.name, problems)
        if entry is None:
            return
        lang = _lang_of(el.find("Name"))
        if lang:
            langs.add(lang)
        if entry.orphacode in seen:
            problems.append(
                Problem(
                    source.name,
                    f"line {line}",
                    f"ORPHA:{entry.orphacode} appears twice (first at line "
                    f"{seen[entry.orphacode]})",
                    "OrphaCode",
                )
            )
            return
        seen[entry.orphacode] = line
        entries.append(entry)

    doc: XmlDocument = parse_xml(source.data, source.name, on_item=on_item, item_depth=3)
    root = doc.root
    if root.tag != "JDBOR" or (root.find("DisorderList") is None and not entries):
        raise _wrong_product(source.name, root, "nomenclature")
    if other_product and not entries:
        raise InputRejected(
            [
                Problem(
                    source.name,
                    "element <DisorderList>",
                    f"this is Orphadata {other_product[0]}, not a nomenclature file "
                    f"(expected {_EXPECTED['nomenclature']})",
                )
            ],
            f"{source.name}: not an Orphanet nomenclature file",
        )
    if not entries and not problems:
        problems.append(Problem(source.name, "element <DisorderList>", "contains no Disorder"))
    if len(langs) > 1:
        problems.append(
            Problem(source.name, "Name/@lang", f"mixes languages {sorted(langs)}", "lang")
        )
    if problems:
        raise InputRejected(problems, f"{source.name}: {len(problems)} problem(s)")
    lang = next(iter(langs)) if langs else "en"
    info = ReleaseInfo(
        source=SOURCE_NOMENCLATURE,
        version=root.get("version") or "unknown",
        release_date=_release_date(root),
        language=lang,
        licence=_licence(root),
        attribution=ATTRIBUTION,
        file_name=source.name.rsplit("/", 1)[-1],
        sha256=source.sha256,
        url=source.url,
    )
    return NomenclatureRelease(release=info, lang=lang, entries=tuple(entries))


def _nomenclature_entry(
    el: ET.Element, line: int, name: str, problems: list[Problem]
) -> NomenclatureEntry | None:
    where = f"line {line} (Disorder)"
    code = _int(text_of(el.find("OrphaCode")))
    if code is None:
        problems.append(
            Problem(
                name,
                where,
                "missing or non-numeric OrphaCode (expected a positive integer)",
                "OrphaCode",
            )
        )
        return None
    label = text_of(el.find("Name"))
    if label is None:
        problems.append(Problem(name, f"{where} ORPHA:{code}", "missing Name", "Name"))
        return None
    status = _status(el)
    if status is None:
        problems.append(
            Problem(name, f"{where} ORPHA:{code}", "unrecognised status", "Totalstatus")
        )
        return None
    synonyms = tuple(
        s for s in (text_of(x) for x in el.findall("SynonymList/Synonym")) if s is not None
    )
    dtype = el.find("DisorderType")
    level_el = el.find("ClassificationLevel")
    if level_el is None:
        level_el = el.find("DisorderGroup")  # product1 calls it DisorderGroup
    level = (
        CLASSIFICATION_LEVEL.get(_int(level_el.get("id")) or 0) if level_el is not None else None
    )
    definition = None
    for section in el.iter("TextSection"):
        stype = section.find("TextSectionType")
        if stype is not None and stype.get("id") == DEFINITION_SECTION:
            definition = text_of(section.find("Contents"))
            break
    redirects: list[Redirect] = []
    for assoc in el.findall("DisorderDisorderAssociationList/DisorderDisorderAssociation"):
        atype = assoc.find("DisorderDisorderAssociationType")
        kind = REDIRECT_KINDS.get(atype.get("id", "") if atype is not None else "")
        if kind is None:
            continue
        target = _int(text_of(assoc.find("TargetDisorder/OrphaCode")))
        root_code = _int(text_of(assoc.find("RootDisorder/OrphaCode")))
        # The association is written on both ends: on the inactive record the
        # target carries the code; on the active record the root does.
        src = root_code if root_code is not None else code
        dst = target if target is not None else code
        if src != dst:
            redirects.append(Redirect(from_code=src, to_code=dst, kind=kind))
    xref_list = el.find("ExternalReferenceList")
    xrefs: tuple[CrossRef, ...] | None = None
    if xref_list is not None:
        found = []
        for ref in xref_list.findall("ExternalReference"):
            system = text_of(ref.find("Source"))
            ref_code = text_of(ref.find("Reference"))
            if system is None or ref_code is None:
                problems.append(
                    Problem(
                        name,
                        f"{where} ORPHA:{code}",
                        "ExternalReference without Source or Reference",
                        "ExternalReference",
                    )
                )
                continue
            found.append(
                CrossRef(
                    system=system,
                    code=ref_code,
                    relation=text_of(ref.find("DisorderMappingRelation/Name")),
                    validation=text_of(ref.find("DisorderMappingValidationStatus/Name")),
                )
            )
        xrefs = tuple(found)
    return NomenclatureEntry(
        orphacode=code,
        name=label,
        synonyms=synonyms,
        disorder_type=text_of(dtype.find("Name")) if dtype is not None else None,
        disorder_type_id=_int(dtype.get("id")) if dtype is not None else None,
        level=level,
        status=status,
        definition=definition,
        redirects=tuple(redirects),
        xrefs=xrefs,
    )


def parse_classification(source: SourceFile) -> ClassificationRelease:
    """Parse a product3 classification; de-duplicate repeated sub-trees."""
    doc = parse_xml(source.data, source.name)
    root = doc.root
    cls = root.find("ClassificationList/Classification")
    if root.tag != "JDBOR" or cls is None:
        raise _wrong_product(source.name, root, "classification")
    problems: list[Problem] = []
    cls_id = _int(cls.get("id"))
    if cls_id is None:
        problems.append(
            Problem(
                source.name,
                f"line {doc.line(cls)} (Classification)",
                "missing numeric id attribute",
                "id",
            )
        )
    cls_name = text_of(cls.find("Name")) or ""
    nodes: dict[int, ClassificationNode] = {}
    edges: dict[tuple[int, int], ClassificationEdgeRecord] = {}
    langs: set[str] = set()
    expanded: set[int] = set()

    def walk(node_el: ET.Element, parent: int | None, position: int, path: tuple[int, ...]) -> None:
        disorder = node_el.find("Disorder")
        where = f"line {doc.line(node_el)} (ClassificationNode)"
        if disorder is None:
            problems.append(Problem(source.name, where, "ClassificationNode without Disorder"))
            return
        code = _int(text_of(disorder.find("OrphaCode")))
        if code is None:
            problems.append(
                Problem(
                    source.name,
                    f"line {doc.line(disorder)} (Disorder)",
                    "missing or non-numeric OrphaCode",
                    "OrphaCode",
                )
            )
            return
        label = text_of(disorder.find("Name"))
        if label is None:
            problems.append(
                Problem(
                    source.name, f"line {doc.line(disorder)} ORPHA:{code}", "missing Name", "Name"
                )
            )
            return
        if code in path:
            problems.append(
                Problem(
                    source.name,
                    f"line {doc.line(disorder)} ORPHA:{code}",
                    "cycle: the code is its own ancestor",
                )
            )
            return
        lang = _lang_of(disorder.find("Name"))
        if lang:
            langs.add(lang)
        dtype = disorder.find("DisorderType")
        if code not in nodes:
            nodes[code] = ClassificationNode(
                orphacode=code,
                name=label,
                disorder_type=text_of(dtype.find("Name")) if dtype is not None else None,
                disorder_type_id=_int(dtype.get("id")) if dtype is not None else None,
            )
        if parent is not None and (parent, code) not in edges:
            edges[(parent, code)] = ClassificationEdgeRecord(parent, code, position)
        if code in expanded:
            return  # a sub-tree repeated under another parent: walked once already
        expanded.add(code)
        for i, child in enumerate(
            node_el.findall("ClassificationNodeChildList/ClassificationNode")
        ):
            walk(child, code, i, (*path, code))

    roots = cls.findall("ClassificationNodeRootList/ClassificationNode")
    if not roots:
        problems.append(
            Problem(
                source.name,
                f"line {doc.line(cls)} (Classification)",
                "no ClassificationNodeRootList/ClassificationNode",
            )
        )
    for i, node_el in enumerate(roots):
        walk(node_el, None, i, ())
    if problems:
        raise InputRejected(problems, f"{source.name}: {len(problems)} problem(s)")
    lang = next(iter(langs)) if len(langs) == 1 else "en"
    if len(langs) > 1:
        raise InputRejected(
            [Problem(source.name, "Name/@lang", f"mixes languages {sorted(langs)}", "lang")]
        )
    info = ReleaseInfo(
        source=f"{SOURCE_CLASSIFICATION}-{cls_id}",
        version=root.get("version") or "unknown",
        release_date=_release_date(root),
        language=lang,
        licence=_licence(root),
        attribution=ATTRIBUTION,
        file_name=source.name.rsplit("/", 1)[-1],
        sha256=source.sha256,
        url=source.url,
    )
    assert cls_id is not None  # a missing id was reported as a problem above
    return ClassificationRelease(
        release=info,
        lang=lang,
        classification_id=cls_id,
        orphanumber=_int(text_of(cls.find("OrphaNumber"))),
        name=cls_name,
        nodes=tuple(nodes.values()),
        edges=tuple(edges.values()),
    )
