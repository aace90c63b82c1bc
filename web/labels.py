"""The labels of expertise codes in the page's language (no view: several views use it)."""

from __future__ import annotations

from starlette.requests import Request

from web.contexts.labels import ExpertiseLabels
from web.pages import tr


def labels(request: Request, lang: str) -> ExpertiseLabels:
    return ExpertiseLabels(
        kind={
            "panel": tr(request, lang, "Expert panels"),
            "ecza": tr(request, lang, "Recognised expertise centres (ECZA)"),
            "soncos_reference_centre": tr(request, lang, "SONCOS reference centres"),
            "expertise_centre": tr(request, lang, "Other expertise centres named by a source"),
            "working_group_centre": tr(request, lang, "National working groups"),
            "preferred_partner": tr(request, lang, "Preferred partner hospitals"),
            "ern_member": tr(request, lang, "European Reference Networks (ERN)"),
        },
        kind_short={
            "panel": tr(request, lang, "Expert panel"),
            "ecza": tr(request, lang, "Recognised expertise centre (ECZA)"),
            "soncos_reference_centre": tr(request, lang, "SONCOS reference centre"),
            "expertise_centre": tr(request, lang, "Expertise centre"),
            "working_group_centre": tr(request, lang, "National working group"),
            "preferred_partner": tr(request, lang, "Preferred partner"),
            "ern_member": tr(request, lang, "ERN member"),
        },
        explanation={
            "panel": tr(
                request,
                lang,
                "Specialists from several hospitals who give advice about a patient. "
                "Your doctor can submit your case.",
            ),
            "ecza": tr(
                request,
                lang,
                "Hospitals that the Minister of Health (VWS) has recognised as expertise "
                "centre for this condition or its group. A recognition is valid for five years.",
            ),
            "soncos_reference_centre": tr(
                request,
                lang,
                "SONCOS sets quality standards for cancer care. For some rare cancers it says "
                "that a reference centre must be involved in the care.",
            ),
            "expertise_centre": tr(
                request,
                lang,
                "Hospitals that a public source names as the place for this condition: a "
                "national centre, a reference centre or an expertise centre. We say who "
                "says so.",
            ),
            "working_group_centre": tr(
                request,
                lang,
                "Groups of specialists from across the country. They write guidelines and "
                "agree where care is given.",
            ),
            "preferred_partner": tr(
                request,
                lang,
                "Hospitals that work closely with an expert centre. Part of the treatment "
                "can take place there.",
            ),
            "ern_member": tr(
                request,
                lang,
                "European networks of expert hospitals. EURACAN is the network for rare "
                "cancers in adults. Being a member is a fact about the hospital, not a "
                "recognition for this condition.",
            ),
        },
        level={
            "cluster": tr(request, lang, "recognised for a group of conditions"),
            "disease": tr(request, lang, "recognised for the disease"),
            "subtype": tr(request, lang, "recognised for a subtype"),
            "national": tr(request, lang, "national"),
            "regional": tr(request, lang, "regional"),
            "reference_centre_requirements": tr(
                request, lang, "SONCOS sets requirements for reference centres"
            ),
            "treatment_in_reference_centre": tr(
                request, lang, "treatment must take place in a reference centre"
            ),
            "national_centre": tr(request, lang, "all patients in the Netherlands go here"),
            "reference_centre": tr(request, lang, "national reference centre"),
            "enets_centre_of_excellence": tr(
                request, lang, "European centre of excellence for neuroendocrine tumours (ENETS)"
            ),
            "expertise_centre": tr(request, lang, "named as an expertise centre"),
            "childrens_centre": tr(request, lang, "the centre for children with cancer"),
        },
        certainty={
            "confirmed": tr(request, lang, "confirmed"),
            "reported": tr(request, lang, "reported by another organisation"),
            "public-knowledge": tr(request, lang, "not yet checked against a source"),
            "uncertain": tr(request, lang, "not confirmed"),
        },
        certainty_explained={
            "confirmed": tr(
                request,
                lang,
                "An organisation that can know says this itself: the government, the "
                "hospital itself or a national body.",
            ),
            "reported": tr(
                request,
                lang,
                "A patient organisation or a news report says this. We have not read it "
                "from the hospital or the government itself.",
            ),
            "public-knowledge": tr(
                request,
                lang,
                "Our editors know this, but have not yet checked it against a public source.",
            ),
            "uncertain": tr(
                request,
                lang,
                "Our editors worked this out from other facts. No source confirms it.",
            ),
        },
        publisher_kind={
            "ministry": tr(request, lang, "the government"),
            "hospital": tr(request, lang, "the hospital itself"),
            "iknl": tr(request, lang, "IKNL, the Netherlands Comprehensive Cancer Organisation"),
            "professional_body": tr(request, lang, "an association of doctors"),
            "patient_platform": tr(request, lang, "a patient organisation"),
            "news": tr(request, lang, "a news report"),
            "european": tr(request, lang, "a European organisation"),
            "report": tr(request, lang, "a report"),
            "editors": tr(request, lang, "our editors"),
            "other": tr(request, lang, "another source"),
        },
        population={
            "all": tr(request, lang, "for everyone"),
            "children": tr(request, lang, "for children"),
            "adults": tr(request, lang, "for adults"),
        },
        institution_kind={
            "umc": tr(request, lang, "University medical centre"),
            "categorical_cancer_centre": tr(request, lang, "Cancer centre"),
            "childrens_cancer_centre": tr(request, lang, "Centre for children with cancer"),
            "top_clinical": tr(request, lang, "Top clinical hospital"),
            "general": tr(request, lang, "General hospital"),
            "radiotherapy": tr(request, lang, "Radiotherapy institute"),
            "other": tr(request, lang, "Other institution"),
        },
        site_kind={
            "hospital": tr(request, lang, "Hospital"),
            "outpatient_clinic": tr(request, lang, "Outpatient clinic"),
            "childrens_hospital": tr(request, lang, "Children's hospital"),
            "treatment_centre": tr(request, lang, "Treatment centre"),
        },
        network_kind={
            "regional_oncology": tr(request, lang, "Regional oncology network"),
            "head_and_neck": tr(request, lang, "Head and neck network"),
            "tumour_type": tr(request, lang, "Collaboration for one type of cancer"),
            "shared_care": tr(request, lang, "Shared care network"),
        },
        group_kind={
            "national_working_group": tr(request, lang, "National working group"),
            "professional_society": tr(request, lang, "Professional society"),
            "initiative": tr(request, lang, "Initiative for specific rare cancers"),
            "platform": tr(request, lang, "Platform"),
            "patient_platform": tr(request, lang, "Patient platform"),
        },
        submission_kind={
            "portal": tr(request, lang, "Through a secure web portal"),
            "platform": tr(request, lang, "Through an online platform"),
            "email": tr(request, lang, "By e-mail"),
            "mdo": tr(request, lang, "In a multidisciplinary meeting (tumour board)"),
            "unknown": tr(request, lang, "Not known"),
        },
    )
