"""The UK-France agreement on the prevention of dangerous journeys (2025), as data.

Every rule the returns ledger applies is a row of :data:`RULES`: an identifier, the article of the
agreement it comes from, the words of that article (quoted from the French text published in the
Journal officiel, or paraphrased where marked), and whether the article number has been checked
against the published text. Code refers to rules only by identifier, so a rule is changed here,
once, and every check, flag, report and document follows.

Source of the text: décret n° 2025-798 du 11 août 2025 portant publication de l'accord entre le
Gouvernement de la République française et le Gouvernement du Royaume-Uni de Grande-Bretagne et
d'Irlande du Nord relatif à la prévention des traversées périlleuses (ensemble une annexe), signé à
Londres le 29 juillet 2025 et à Paris le 30 juillet 2025 (Légifrance; read through
legal.tricoteuses.fr, articles LEGIARTI000052078562, LEGIARTI000052078563, JORFARTI000052076617,
JORFARTI000052076618). In force on 6 August 2025 (Home Office press release quoted by Opinio Juris,
3 October 2025). Where only a secondary source was available (actualite-droit-des-etrangers.fr,
5 December 2025, summarising the décret), ``verified`` is False and the article reference says so.

The numbers a joint committee may change (tolerance of the balance, priority categories) are
:class:`Parameters`, not code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from manche.errors import RuleViolation

AGREEMENT_TITLE = (
    "Agreement between the Government of the United Kingdom of Great Britain and Northern Ireland "
    "and the Government of the French Republic on the prevention of dangerous journeys (2025)"
)
AGREEMENT_SOURCE = (
    "Décret n° 2025-798 du 11 août 2025 (JORF), French text of the agreement signed in London on "
    "29 July 2025 and in Paris on 30 July 2025"
)
IN_FORCE_FROM = date(2025, 8, 6)


class Severity(StrEnum):
    """How a broken rule is treated: ``refuse`` stops a strict check; ``warn`` only flags."""

    REFUSE = "refuse"
    WARN = "warn"


@dataclass(frozen=True)
class Rule:
    """One rule of the agreement: what it says and where."""

    id: str
    article: str
    words: str
    summary: str
    severity: Severity = Severity.REFUSE
    verified: bool = True
    source: str = "décret n° 2025-798 (JORF)"

    @property
    def citation(self) -> str:
        mark = "" if self.verified else " (article number unverified)"
        return f"{self.id}: {self.article}{mark}"


_SECONDARY = "actualite-droit-des-etrangers.fr, 5 Dec 2025, summarising décret n° 2025-798"

RULES: tuple[Rule, ...] = (
    # ---- Chapter II: returns (readmission to France) ----
    Rule(
        id="return.scope",
        article="Art. 3 (a)-(c)",
        words=(
            "« tout ressortissant d'un pays tiers qui remplit au moins un des critères suivants : "
            "a. une personne qui présente une demande de protection internationale après son "
            "arrivée au Royaume-Uni suite à une traversée périlleuse sur une embarcation légère "
            "depuis le territoire de la France ; b. une personne appréhendée [...] ; c. une "
            "personne qui débarque [...] après une opération de recherche et de sauvetage en mer »"
        ),
        summary=(
            "A non-EU ('third-country') national who arrived in the UK by small boat from France "
            "and claimed protection, was apprehended, or was landed after a rescue."
        ),
    ),
    Rule(
        id="return.adult_or_accompanied_minor",
        article="Art. 4(1)(b)",
        words=(
            "« le Royaume-Uni confirme qu'au moment de l'éloignement de la personne concernée, un "
            "fonctionnaire habilité a établi qu'il s'agit d'un adulte ou d'un mineur accompagné »"
        ),
        summary="Only an adult or an accompanied minor; unaccompanied minors are excluded.",
    ),
    Rule(
        id="return.request_within_14_days",
        article="Art. 4(1) (criteria list)",
        words=(
            "paraphrase: the procedure is not engaged for a person who 'arrived in the United "
            "Kingdom more than fourteen days before the readmission request'; the request must be "
            "sent within fourteen days of arrival"
        ),
        summary="The UK sends the readmission request within 14 days of arrival (day 15 is late).",
        verified=False,
        source=_SECONDARY,
    ),
    Rule(
        id="return.answer_within_14_days",
        article="Chapter II (reply time limit)",
        words=(
            "paraphrase: France replies « dans les meilleurs délais et s'efforce de le faire » "
            "within fourteen days, extended to twenty-eight days « dans des cas exceptionnels »"
        ),
        summary="France answers within 14 days of the request; 28 days in exceptional cases.",
        severity=Severity.WARN,
        verified=False,
        source=_SECONDARY,
    ),
    Rule(
        id="return.answer_within_28_days",
        article="Chapter II (reply time limit, exceptional cases)",
        words="paraphrase: « vingt-huit jours » « dans des cas exceptionnels » at the most",
        summary="Even in an exceptional case, France's answer is late after 28 days.",
        severity=Severity.WARN,
        verified=False,
        source=_SECONDARY,
    ),
    Rule(
        id="return.three_month_procedure",
        article="Art. 1(1)",
        words=(
            "« Les Parties sont convenues d'œuvrer à la mise en place d'une procédure complète "
            "d'une durée maximale de 3 mois, entre l'arrivée des personnes concernées sur le "
            "territoire du Royaume-Uni et leur transfert »"
        ),
        summary="The whole procedure, from arrival to transfer, aims at three months at most.",
        severity=Severity.WARN,
    ),
    Rule(
        id="return.exclusion.asylum_claim",
        article="Art. 4(1) (criteria list)",
        words="paraphrase: the person has not made an admissible asylum claim in the UK",
        summary="Excluded: an admissible asylum claim.",
        verified=False,
        source=_SECONDARY,
    ),
    Rule(
        id="return.exclusion.human_rights_claim",
        article="Art. 4(1) (criteria list)",
        words="paraphrase: the person has not made an admissible human-rights claim",
        summary="Excluded: an admissible human-rights claim.",
        verified=False,
        source=_SECONDARY,
    ),
    Rule(
        id="return.exclusion.suspensive_appeal",
        article="Art. 4(1) (criteria list)",
        words="paraphrase: no suspensive appeal is pending",
        summary="Excluded: a pending suspensive appeal.",
        verified=False,
        source=_SECONDARY,
    ),
    Rule(
        id="return.exclusion.court_order",
        article="Art. 4(1) (criteria list)",
        words="paraphrase: no injunction or court decision forbids the transfer",
        summary="Excluded: an injunction or court order forbidding the transfer.",
        verified=False,
        source=_SECONDARY,
    ),
    Rule(
        id="return.exclusion.public_order",
        article="Art. 4(1) (criteria list)",
        words="paraphrase: a threat to public order or national security",
        summary="Excluded: a threat to public order or national security.",
        verified=False,
        source=_SECONDARY,
    ),
    Rule(
        id="return.exclusion.deadlines_expired",
        article="Art. 4(1) (criteria list)",
        words="paraphrase: the procedural time limits have expired",
        summary="Excluded: the agreement's time limits have expired.",
        verified=False,
        source=_SECONDARY,
    ),
    Rule(
        id="return.exclusion.imbalance",
        article="Art. 4(1) (criteria list); Art. 1(3)",
        words=(
            "paraphrase: the number readmitted is out of balance with the number actually "
            "admitted; Art. 1(3): « Le nombre de personnes effectivement réadmises [...] et celui "
            "des personnes effectivement admises [...] doivent s'équilibrer de manière régulière »"
        ),
        summary="Returns pause while they are ahead of admissions beyond the agreed tolerance.",
        verified=False,
        source=_SECONDARY,
    ),
    # ---- Chapter III: admissions to the UK ----
    Rule(
        id="admission.voluntary_in_france",
        article="Art. 12(1)(a)",
        words=(
            "« un canal d'entrée au Royaume-Uni, sur la base d'une demande volontaire, pour un "
            "ressortissant d'un pays tiers [...] a. [qui] se trouve sur le territoire de la France "
            "au moment où il fait la demande d'entrée au Royaume-Uni »"
        ),
        summary="A voluntary application by a non-EU national who is in France when applying.",
    ),
    Rule(
        id="admission.identity_and_presence",
        article="Art. 12(2) (UK immigration rules)",
        words=(
            "« le canal d'entrée (notamment les conditions d'éligibilité) est fixé par la "
            "réglementation du Royaume-Uni en matière d'immigration » — the published route asks "
            "for an identity document and proof of presence in France (public reporting)"
        ),
        summary="The expression of interest comes with an identity document and proof of presence.",
        verified=False,
        source="Art. 12(2) (JORF) + public reporting of the UK route's requirements",
    ),
    Rule(
        id="admission.suitability_checks",
        article="Art. 12(2)",
        words=(
            "« une personne ne peut se voir délivrer un visa l'autorisant à entrer au Royaume-Uni "
            "que si les critères de ladite réglementation sont bien réunis »"
        ),
        summary="A visa only after the eligibility and suitability checks are passed.",
    ),
    Rule(
        id="admission.accompanying_minors",
        article="Art. 12(3)",
        words=(
            "« Le Royaume-Uni délivre un visa aux mineurs (âgés de moins de 18 ans) accompagnant "
            "une personne qui obtient un visa [...] sous réserve du contrôle des conditions "
            "d'éligibilité »"
        ),
        summary="Minors accompanying a successful applicant receive a visa too.",
    ),
    Rule(
        id="admission.visa_valid_3_months",
        article="Art. 12(4)",
        words="« Un visa délivré [...] a une période de validité de trois mois »",
        summary="Entry clearance is valid three months; an arrival after that is out of time.",
    ),
    Rule(
        id="admission.limited_number",
        article="Art. 12(1)(b); Art. 1(3)",
        words=(
            "« la demande [...] s'inscrit dans le nombre limité de demandes qui doit être défini "
            "compte tenu de la nature réciproque du présent accord »"
        ),
        summary="Admissions pause while they are ahead of returns beyond the agreed tolerance.",
    ),
    Rule(
        id="admission.priority",
        article="Art. 12(2)",
        words=(
            "« Le Royaume-Uni peut également imposer des restrictions supplémentaires à certaines "
            "personnes [...] ou leur accorder au contraire la priorité ; dans ce cas, il le fait "
            "en consultation avec la France »"
        ),
        summary="Priority categories (e.g. family ties in the UK) are set in consultation.",
        severity=Severity.WARN,
    ),
    # ---- Balance and committee ----
    Rule(
        id="balance.parity",
        article="Art. 1(3)",
        words=(
            "« Le nombre de personnes effectivement réadmises conformément au chapitre II et celui "
            "des personnes effectivement admises conformément au chapitre III doivent "
            "s'équilibrer de manière régulière »"
        ),
        summary="Returns and admissions balance regularly.",
        severity=Severity.WARN,
    ),
    Rule(
        id="balance.weekly_committee",
        article="Art. 17(1)(d)",
        words=(
            "« de contrôler, sur la base de données hebdomadaires, le nombre de personnes "
            "réadmises conformément au chapitre II et celui des personnes admises conformément au "
            "chapitre III »"
        ),
        summary="The joint committee checks the numbers on weekly data.",
        severity=Severity.WARN,
    ),
    Rule(
        id="data.no_personal_data",
        article="Art. 16",
        words=(
            "« la France ne transfère en aucun cas des données à caractère personnel au "
            "Royaume-Uni. 2. Le Royaume-Uni ne transfère des données à caractère personnel vers la "
            "France que si la communication de ces données est nécessaire »"
        ),
        summary="No names or document numbers in the record: pseudonymous case numbers only.",
    ),
    # ---- Procedural (not from the treaty) ----
    Rule(
        id="case.sequence",
        article="Manche procedure (not a treaty article)",
        words="A step recorded out of order (e.g. a removal before France accepted the request).",
        summary="Case steps follow the agreement's order.",
        severity=Severity.WARN,
        source="Manche",
    ),
    Rule(
        id="agreement.in_force",
        article="Final provisions (entry into force 6 August 2025)",
        words="paraphrase: the agreement applies from its entry into force on 6 August 2025",
        summary="An arrival or application before 6 August 2025 is outside the agreement.",
        severity=Severity.WARN,
        verified=False,
        source="Home Office press release of 6 August 2025, quoted by Opinio Juris",
    ),
)

_LEDGER = "Manche equipment ledger (no treaty article: the exchanges are operational practice)"

EQUIPMENT_RULES: tuple[Rule, ...] = (
    Rule(
        id="equipment.stock_negative",
        article="Equipment ledger",
        words="A holder gave out or handed over more items than its ledger says it held.",
        summary="Stock never goes below zero without a flag.",
        severity=Severity.REFUSE,
        source=_LEDGER,
    ),
    Rule(
        id="equipment.handover_mismatch",
        article="Equipment ledger",
        words="The receiver's count differs from the sender's for the same handover reference.",
        summary="What one side handed over is what the other side received.",
        severity=Severity.WARN,
        source=_LEDGER,
    ),
    Rule(
        id="equipment.handover_unconfirmed",
        article="Equipment ledger",
        words="A handover (or a receipt) has no matching account from the other side.",
        summary="Every handover is confirmed by the receiver, and every receipt by the sender.",
        severity=Severity.WARN,
        source=_LEDGER,
    ),
    Rule(
        id="equipment.count_difference",
        article="Equipment ledger",
        words="A physical stock count differs from the ledger's figure for that holder.",
        summary="Stock counts agree with the ledger.",
        severity=Severity.WARN,
        source=_LEDGER,
    ),
    Rule(
        id="equipment.duplicate_reference",
        article="Equipment ledger",
        words="Two handovers (or two receipts) quote the same reference.",
        summary="A handover reference is used once by each side.",
        severity=Severity.REFUSE,
        source=_LEDGER,
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES + EQUIPMENT_RULES}


def rule(rule_id: str) -> Rule:
    """The rule with this identifier (a KeyError is a programming error)."""
    return RULES_BY_ID[rule_id]


def violation(rule_id: str, message: str, *, field: str | None = None) -> RuleViolation:
    """A :class:`RuleViolation` naming the rule and its article."""
    r = rule(rule_id)
    return RuleViolation(f"{message} ({r.summary})", rule=r.citation, field=field)


@dataclass(frozen=True)
class Parameters:
    """What the joint committee sets; defaults follow the agreement's words.

    ``parity_tolerance`` is how far committed returns and admissions may drift apart before the
    side that is ahead pauses. The agreement says only that the numbers balance "regularly"
    (Art. 1(3)) and that the committee decides adjustments (Art. 17(1)(d)); the default of 5 is
    Manche's, not the treaty's, and at least 1 (with 0 neither side could go first).
    """

    request_days: int = 14
    answer_days: int = 14
    answer_days_exceptional: int = 28
    procedure_months: int = 3
    visa_validity_months: int = 3
    parity_tolerance: int = 5
    priority_categories: tuple[str, ...] = field(
        default=("family_ties_uk", "accompanying_minor", "vulnerable")
    )

    def __post_init__(self) -> None:
        if self.parity_tolerance < 1:
            raise ValueError(
                "parity_tolerance must be at least 1: with 0 neither side could ever go first"
            )
