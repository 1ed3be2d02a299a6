"""REG-4: the countries/regions and the six subject types of the information step.

Each type carries its explanation (seed 001's table of account subjects), its own
form fields and the verification methods it may choose (REG-5..REG-7). The form
and the services both read this one table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from miniport.accounts.models import SubjectType, VerificationMethod

MAINLAND = "CN"
COUNTRIES: dict[str, tuple[str, str]] = {
    "CN": ("中国大陆", "Mainland China"),
    "HK": ("中国香港", "Hong Kong, China"),
    "MO": ("中国澳门", "Macao, China"),
    "TW": ("中国台湾", "Taiwan, China"),
    "US": ("美国", "United States"),
    "SG": ("新加坡", "Singapore"),
    "OTHER": ("其他国家或地区", "Other countries or regions"),
}

# Unified social credit code (GB 32100): 18 characters, digits and capital letters
# except I, O, Z, S, V.
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}\Z")
# Individual businesses registered before the unified code still carry a 15-digit number.
_LEGACY_REGISTRATION_NUMBER = re.compile(r"^[0-9]{15}\Z")


@dataclass(frozen=True)
class SubjectField:
    key: str
    label: str | Promise
    help: str | Promise
    max_length: int


@dataclass(frozen=True)
class SubjectTypeSpec:
    value: str
    label: str | Promise
    explanation: str | Promise
    capabilities: str | Promise
    fields: tuple[SubjectField, ...]
    methods: tuple[str, ...]
    mainland_only: bool = False
    accepts_legacy_registration_number: bool = False

    @property
    def is_personal(self) -> bool:
        return self.value == SubjectType.PERSONAL


def _organization_fields(
    name_label: str | Promise, code_label: str | Promise
) -> tuple[SubjectField, ...]:
    return (
        SubjectField("name", name_label, _("The full registered name, as on the licence."), 100),
        SubjectField(
            "credit_code",
            code_label,
            _("In mainland China: the 18-character unified social credit code."),
            30,
        ),
    )


_ORGANIZATION_CAPABILITIES = _(
    "Some functions stay locked until the subject is verified; certified accounts may apply "
    "for payment."
)
_REMITTANCE_OR_CERTIFICATION = (VerificationMethod.REMITTANCE, VerificationMethod.CERTIFICATION)
_CERTIFICATION_ONLY = (VerificationMethod.CERTIFICATION,)

SUBJECT_TYPES: dict[str, SubjectTypeSpec] = {
    SubjectType.PERSONAL: SubjectTypeSpec(
        value=SubjectType.PERSONAL,
        label=SubjectType.PERSONAL.label,
        explanation=_(
            "Real-name users aged 18 or over with a mainland China identity; the account is "
            "registered and run by a natural person."
        ),
        capabilities=_(
            "Personal accounts cannot be certified and cannot use payment or advanced interfaces."
        ),
        fields=(
            SubjectField(
                "name",
                _("Name on the ID card"),
                _("Cannot be changed once verified; keep the separator “·” if the name has one."),
                64,
            ),
            SubjectField(
                "id_number",
                _("ID card number"),
                _(
                    "Enter your ID card number. One ID number registers a limited number of mini programs."
                ),
                18,
            ),
        ),
        methods=(VerificationMethod.NONE,),
        mainland_only=True,
    ),
    SubjectType.ENTERPRISE: SubjectTypeSpec(
        value=SubjectType.ENTERPRISE,
        label=SubjectType.ENTERPRISE.label,
        explanation=_("Enterprises, branches and enterprise-related brands."),
        capabilities=_ORGANIZATION_CAPABILITIES,
        fields=_organization_fields(_("Enterprise name"), _("Unified social credit code")),
        methods=_REMITTANCE_OR_CERTIFICATION,
    ),
    SubjectType.INDIVIDUAL_BUSINESS: SubjectTypeSpec(
        value=SubjectType.INDIVIDUAL_BUSINESS,
        label=SubjectType.INDIVIDUAL_BUSINESS.label,
        explanation=_("Individual businesses."),
        capabilities=_ORGANIZATION_CAPABILITIES,
        fields=_organization_fields(
            _("Individual business name"),
            _("Unified social credit code or business registration number"),
        ),
        methods=_REMITTANCE_OR_CERTIFICATION,
        accepts_legacy_registration_number=True,
    ),
    SubjectType.GOVERNMENT: SubjectTypeSpec(
        value=SubjectType.GOVERNMENT,
        label=SubjectType.GOVERNMENT.label,
        explanation=_(
            "Government bodies and public institutions at every level, and social organizations "
            "with administrative functions: public security, party and youth organizations, "
            "justice, transport, tourism, industry and commerce, taxation, municipal services."
        ),
        capabilities=_("Must be verified by certification; some functions stay locked until then."),
        fields=_organization_fields(
            _("Full name of the government body"), _("Unified social credit code")
        ),
        methods=_CERTIFICATION_ONLY,
    ),
    SubjectType.MEDIA: SubjectTypeSpec(
        value=SubjectType.MEDIA,
        label=SubjectType.MEDIA.label,
        explanation=_("Newspapers, magazines, television, radio, news agencies and other media."),
        capabilities=_("Must be verified by certification; some functions stay locked until then."),
        fields=_organization_fields(_("Media organization name"), _("Unified social credit code")),
        methods=_CERTIFICATION_ONLY,
    ),
    SubjectType.OTHER: SubjectTypeSpec(
        value=SubjectType.OTHER,
        label=SubjectType.OTHER.label,
        explanation=_("Organizations that are not a government, media, enterprise or person."),
        capabilities=_("Must be verified by certification; some functions stay locked until then."),
        fields=_organization_fields(_("Organization name"), _("Unified social credit code")),
        methods=_CERTIFICATION_ONLY,
    ),
}

ORGANIZATION_TYPES = frozenset(
    value for value, spec in SUBJECT_TYPES.items() if not spec.is_personal
)
# REG-6 / REG-7: which verification methods each subject type may choose.
ALLOWED_METHODS: dict[str, set[str]] = {
    value: set(spec.methods) for value, spec in SUBJECT_TYPES.items()
}


def methods_for(subject_type: str, country: str) -> set[str]:
    """Subjects outside mainland China cannot remit to a mainland account: certification only."""
    allowed = ALLOWED_METHODS[subject_type]
    if country != MAINLAND:
        allowed = allowed & {VerificationMethod.CERTIFICATION}
    return allowed


def credit_code_valid(spec: SubjectTypeSpec, country: str, code: str) -> bool:
    """Mainland codes follow the unified format; other countries' numbers are taken as given."""
    if country != MAINLAND:
        return True
    if _CREDIT_CODE.match(code):
        return True
    return spec.accepts_legacy_registration_number and bool(_LEGACY_REGISTRATION_NUMBER.match(code))
