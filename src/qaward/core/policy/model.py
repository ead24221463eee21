"""The policy model: one regulation version as strictly validated, cited, frozen data.

A policy file is YAML. Every value the system acts on carries the article it comes from
(``cite``). Where the regulation says nothing, the file says so with ``{silent: "..."}``;
code that needs such a value calls :func:`require`, which raises
:class:`~qaward.core.errors.ConfigurationRequired` unless a configuration file supplies it.

See docs/policy-guide.md for the format written for an award office.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Generic, Literal, TypeVar, get_args, overload

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)
from typing_extensions import TypeAliasType, TypeIs

from qaward.core.errors import ConfigurationRequired
from qaward.core.states import CYCLE_LEVEL, ExitTarget, NoticeId, StageId

T = TypeVar("T")

# A citation names where in the regulation a value comes from: an article and item as the
# regulation numbers them (第十一条第（五）项), a section for regulations numbered by sections
# (三、（六）), or a part of the issuing document (印发通知, 文号, 附则).
CITATION_PATTERN = re.compile(
    r"^(第[〇零一二三四五六七八九十百]+[条章]"
    r"|[一二三四五六七八九十]+、"
    r"|印发通知|文号|附则|文件头)"
)
# A policy id: hyphenated words of lowercase letters and digits, then the year of the text.
POLICY_ID_PATTERN = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-\d{4}$"

# Configuration values (what an office decided where the regulation is silent) cite the
# office's decision instead.
CONFIG_CITATION_PATTERN = re.compile(r"\S")


def _check_citation(text: str) -> str:
    text = text.strip()
    if not CITATION_PATTERN.match(text):
        raise ValueError(
            f"citation {text!r} does not name an article: write it as the regulation numbers "
            "it, e.g. 第十一条第（五）项, 三、（六） or 印发通知"
        )
    return text


Citation = Annotated[StrictStr, AfterValidator(_check_citation)]


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


NONE_MIN_CHARS = 5
# Texts that explain nothing; a silence or a "none" must say what is missing or why.
PLACEHOLDERS = frozenset({
    "todo", "tbd", "tbc", "n/a", "na", "none", "nil", "null", "unknown", "missing",
    "silent", "not given", "not stated", "not set", "no rule", "?", "-", "—", "…",
    "无", "空", "未规定", "未明确", "待定", "不详", "略", "没有", "无此规定",
})


def _explains(text: str) -> str:
    text = text.strip()
    if len("".join(text.split())) < NONE_MIN_CHARS or text.lower() in PLACEHOLDERS:
        raise ValueError(
            f"{text!r} does not say why there is no such rule: name the article, or the "
            f"reason the text's structure settles it, in at least {NONE_MIN_CHARS} characters "
            "(e.g. '七、（五） revokes the award but sets no bar on applying again')"
        )
    return text


class Silent(Frozen):
    """The regulation does not settle this. ``silent`` explains what is missing. An action
    that needs the value stops with ConfigurationRequired until the office configures it."""

    silent: StrictStr = Field(min_length=1)
    cite: Citation | None = None  # the article that raises the question, if any


class NoRule(Frozen):
    """The regulation has no such rule (``{none: "..."}``): not a gap to fill, an answer.
    ``none`` names the article, or the reason the text's structure settles it; configuration
    can never add the rule."""

    none: Annotated[StrictStr, AfterValidator(_explains)]
    cite: Citation | None = None  # the article that settles it, if one does


def _refuse_none(raw: Any) -> Any:
    raise ValueError(
        "`{none: ...}` is not allowed here: every award has this value, so the text either "
        "gives it or does not settle it; write `{silent: \"...\"}` if the text does not settle it"
    )


# The `{none: ...}` branch of OrSilent: typed as Silent, but always refused with a message.
_NoneRefused = Annotated[Silent, BeforeValidator(_refuse_none)]


class Cited(Frozen, Generic[T]):
    """A value and the article it comes from."""

    value: T
    cite: StrictStr
    note: StrictStr | None = None
    # "regulation": cite must name an article; "configuration": the office decided it,
    # cite names that decision (document, meeting, date).
    source: Literal["regulation", "configuration"] = "regulation"

    @model_validator(mode="after")
    def _citation_fits_source(self) -> Cited[T]:
        if self.source == "regulation":
            _check_citation(self.cite)
        elif not CONFIG_CITATION_PATTERN.search(self.cite):
            raise ValueError("a configured value must cite the office's decision")
        return self


def _given_or_silent(raw: Any) -> str:
    if isinstance(raw, dict):
        if "silent" in raw:
            return "is-silent"
        return "is-none" if "none" in raw else "is-given"
    if isinstance(raw, Silent):
        return "is-silent"
    return "is-none" if isinstance(raw, NoRule) else "is-given"


# A value the regulation either gives or does not settle; `{silent: ...}` picks the second.
# `{none: ...}` is refused with a message saying why.
OrSilent = TypeAliasType(
    "OrSilent",
    Annotated[
        Annotated[T, Tag("is-given")] | Annotated[Silent, Tag("is-silent")]
        | Annotated[_NoneRefused, Tag("is-none")],
        Discriminator(_given_or_silent),
    ],
    type_params=(T,),
)

# A rule the regulation gives, does not settle (`{silent: ...}`), or does not have at all
# (`{none: ...}`): for blocks and rules that a regulation may lack (a lockout, a fast track).
OrNone = TypeAliasType(
    "OrNone",
    Annotated[
        Annotated[T, Tag("is-given")] | Annotated[Silent, Tag("is-silent")]
        | Annotated[NoRule, Tag("is-none")],
        Discriminator(_given_or_silent),
    ],
    type_params=(T,),
)

MaybeCited = TypeAliasType("MaybeCited", OrSilent[Cited[T]], type_params=(T,))
CitedOrNone = TypeAliasType("CitedOrNone", OrNone[Cited[T]], type_params=(T,))
# A plain leaf (e.g. a quota's maximum) the text may leave open; configuration fills it with
# a Cited value naming the office's decision, so the leaf is then Cited.
def _plain_or_cited(raw: Any) -> str:
    if isinstance(raw, Cited) or (isinstance(raw, dict) and "value" in raw):
        return "cited"
    return "plain"


OpenLeaf = TypeAliasType(
    "OpenLeaf",
    OrSilent[Annotated[Annotated[T, Tag("plain")] | Annotated[Cited[T], Tag("cited")],
                       Discriminator(_plain_or_cited)]],
    type_params=(T,),
)


def given(x: T | Silent | NoRule | None) -> TypeIs[T]:
    """The regulation (or a configuration) gives this value or rule."""
    return x is not None and not isinstance(x, Silent | NoRule)


def is_silent(x: object) -> TypeIs[Silent]:
    """The text does not settle this: an action that needs it must stop for configuration."""
    return isinstance(x, Silent)


def is_none(x: object) -> TypeIs[NoRule]:
    """The regulation has no such rule: it does not apply."""
    return isinstance(x, NoRule)


@overload
def plain(x: Cited[T]) -> T: ...
@overload
def plain(x: T) -> T: ...
def plain(x: Any) -> Any:
    """The value of an :data:`OpenLeaf` that is given (plain in the file, or configured)."""
    return x.value if isinstance(x, Cited) else x


# ---------------------------------------------------------------------------------------------
# Vocabulary

TrackId = Literal["organization", "individual"]
Unit = Literal["working_days", "days"]
# Stage and notice ids come from the one table of states (qaward.core.states).
NoticeStage = NoticeId
IncidentKind = Literal[
    "quality", "safety", "environment", "public_health", "food_safety", "drug_safety"
]
AwardLevel = Literal["national", "provincial", "city", "district"]
# The tiers of a national award record: 中国质量奖 itself, or its 提名奖.
NationalAwardTier = Literal["award", "nomination"]
NATIONAL_AWARD_TIERS: tuple[str, ...] = get_args(NationalAwardTier)
RevocationCause = Literal["fraud", "incident"]
PrizeItem = Literal["plaque", "trophy", "certificate", "money", "title"]
NonNegInt = Annotated[StrictInt, Field(ge=0)]
PosInt = Annotated[StrictInt, Field(gt=0)]


# ---------------------------------------------------------------------------------------------
# Identity


def place_key(text: str) -> str:
    """A place name as compared: spaces dropped, Latin letters case-folded."""
    return "".join(text.split()).casefold()


class Place(Frozen):
    """A named place (a city) that profiles may write in several ways."""

    name_zh: StrictStr
    name_en: StrictStr
    # Other spellings an applicant may write in its profile (with or without the city, the
    # English name); compared without spaces and case.
    aliases: tuple[StrictStr, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name_zh, self.name_en, *self.aliases)

    def matches(self, text: str) -> bool:
        t = place_key(text)
        return any(t == place_key(n) for n in self.names())


class Jurisdiction(Place):
    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9-]*$")
    # The city the district belongs to: lets the engine tell another city's award from a
    # name it cannot read (docs/conventions.md, "Names the engine does not know").
    city: Place | None = None

    def names(self) -> tuple[str, ...]:
        return (self.id, *super().names())


class InForce(Frozen):
    """The period a regulation version is in force, both ends inclusive."""

    # Exact first day, or None when the text gives none (e.g. "自印发之日起施行" without a
    # printed date): then ``from_not_later_than`` bounds it and dates before that bound
    # need configuration.
    # ``{silent: ...}``: the text gives no date and no bound either; screening needs the
    # office to configure it (then a Cited date).
    from_: dt.date | Cited[dt.date] | Silent | None = Field(alias="from")
    from_not_later_than: dt.date | None = None
    from_not_earlier_than: dt.date | None = None
    until: dt.date | None = None
    cite: Citation
    note: StrictStr | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _bounds(self) -> InForce:
        if self.from_ is None and self.from_not_later_than is None:
            raise ValueError("give `from`, or `from_not_later_than` when the text has no date "
                             "(or `from: {silent: ...}` when it gives no bound either)")
        start = self.first_day or self.from_not_later_than
        if self.until is not None and start is not None and self.until < start:
            raise ValueError("`until` is before the first day in force")
        return self

    @property
    def first_day(self) -> dt.date | None:
        """The exact first day in force, when the text (or a configuration) gives it."""
        f = self.from_
        if isinstance(f, Cited):
            return f.value
        return f if isinstance(f, dt.date) else None


class _Block(Frozen):
    """A block a regulation may leave open: when an office configures it, ``source`` is
    ``configuration`` and ``cite`` names the office's decision instead of an article."""

    source: Literal["regulation", "configuration"] = "regulation"
    cite: StrictStr

    @field_validator("cite")
    @classmethod
    def _block_citation_fits_source(cls, cite: str, info: ValidationInfo) -> str:
        if info.data.get("source", "regulation") == "regulation":
            return _check_citation(cite)
        if not CONFIG_CITATION_PATTERN.search(cite):
            raise ValueError("a configured value must cite the office's decision")
        return cite


class Tier(Frozen):
    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: StrictStr
    name_en: StrictStr
    rank: PosInt  # 1 is the highest honour
    tracks: tuple[TrackId, ...]
    cite: Citation


class Track(Frozen):
    name_zh: StrictStr
    name_en: StrictStr
    criteria: MaybeCited[StrictStr]  # id of a criteria set in data/criteria
    # Sector variants (e.g. medical, education guides): sector -> criteria id.
    sector_criteria: Cited[dict[StrictStr, StrictStr]] | None = None
    judged_period: MaybeCited[StrictStr] | None = None
    report_max_chars: CitedOrNone[PosInt]
    cite: Citation


# ---------------------------------------------------------------------------------------------
# Eligibility rules: one kind of rule each, parameters from the regulation.


class _Rule(Frozen):
    cite: Citation


class RegisteredInJurisdiction(_Rule):
    rule: Literal["registered_in_jurisdiction"]


class MinYears(_Rule):
    """Organization: operating at least N years; individual: quality work in the district."""

    rule: Literal["min_years_established"]
    years: PosInt


class LegalPerson(_Rule):
    rule: Literal["independent_legal_person"]


class PaysTaxLocally(_Rule):
    rule: Literal["pays_tax_locally"]


class Licensed(_Rule):
    rule: Literal["licensed"]


class ChiefQualityOfficer(_Rule):
    rule: Literal["chief_quality_officer"]


class ExcellenceModel(_Rule):
    rule: Literal["excellence_model"]
    min_years: NonNegInt  # 0: practised at all; N: practised at least N years


class NonProfitTest(Frozen):
    """What the text asks of an organization with 非盈利性业务 instead (a manual check)."""

    text_zh: StrictStr
    text_en: StrictStr


class NoLosses(_Rule):
    rule: Literal["no_losses"]
    years: PosInt  # the N complete years before the year of screening
    policy_losses_excepted: StrictBool
    # Set where the text holds only organizations 从事生产、经营活动的 to the no-loss test
    # (崇明 第十六条第（五）项): a non-profit (profile `for_profit: false`) is judged by this
    # test instead, and its deficit is not a loss. Absent: every organization.
    non_profit: NonProfitTest | None = None


class NoMajorIncidents(_Rule):
    rule: Literal["no_major_incidents"]
    years: PosInt
    kinds: tuple[IncidentKind, ...] = Field(min_length=1)
    # The text ends its list with 等 ("etc."): incidents of other kinds need a person's
    # judgement rather than an automatic pass.
    open_list: StrictBool


class NoMajorComplaints(_Rule):
    rule: Literal["no_major_complaints"]
    years: PosInt
    organization_at_fault_only: StrictBool


class NoSeriousDishonesty(_Rule):
    rule: Literal["no_serious_dishonesty"]
    years: PosInt | None  # None: records of any date
    # True where the text asks for a good record (虹口 第十二条第（三）项 个人信用记录良好), a
    # judgement of the current record: each serious record is a manual check citing it,
    # not a bar.
    judged: StrictBool = False


class NoSeriousViolations(_Rule):
    rule: Literal["no_serious_violations"]
    years: PosInt


class NoFailedInspections(_Rule):
    rule: Literal["no_failed_inspections"]
    years: PosInt


class NotAppliedToCitySameYear(_Rule):
    rule: Literal["not_applying_to_city_award_same_year"]
    levels: tuple[AwardLevel, ...] = ("city",)
    # Whose awards the rule covers, per level (崇明 第十七条 本市: city: [上海市, …]); a level
    # not listed: any jurisdiction's. An application naming another known place does not
    # bar; one naming a place the engine cannot read is a manual check.
    jurisdictions: dict[AwardLevel, tuple[StrictStr, ...]] = {}


class EmployerRecord(_Rule):
    """An individual's organization must have a clean record (虹口: only a top manager's)."""

    rule: Literal["employer_record"]
    only_if_top_manager: StrictBool
    years: PosInt
    kinds: tuple[IncidentKind, ...] = Field(min_length=1)
    open_list: StrictBool


class ManualCheck(_Rule):
    """A qualitative condition a person must judge; the engine lists it, cited."""

    rule: Literal["manual"]
    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text_zh: StrictStr
    text_en: StrictStr


EligibilityRule = Annotated[
    RegisteredInJurisdiction
    | MinYears
    | LegalPerson
    | PaysTaxLocally
    | Licensed
    | ChiefQualityOfficer
    | ExcellenceModel
    | NoLosses
    | NoMajorIncidents
    | NoMajorComplaints
    | NoSeriousDishonesty
    | NoSeriousViolations
    | NoFailedInspections
    | NotAppliedToCitySameYear
    | EmployerRecord
    | ManualCheck,
    Field(discriminator="rule"),
]


# ---------------------------------------------------------------------------------------------
# Lockouts and fast track


class AfterAwardLockout(_Block):
    """A winner may not apply again while (screening year − award year) < years."""

    years: PosInt
    # Winners of these tiers are barred; a tier left out is exempt (滨江: 提名奖).
    tiers: tuple[StrictStr, ...] = Field(min_length=1)
    # What a win bars: `applying` - applying at all (虹口 同一奖项, one award with grades;
    # 滨江); `tier_won` - receiving the tier that was won (崇明 第十七条, 长宁 第十八条 曾获奖项:
    # 第二条 sets up two awards), listed in the result's `excluded_tiers`; ineligible only
    # when every tier of the applicant's track is excluded.
    bars: Literal["applying", "tier_won"] = "applying"
    note: StrictStr | None = None


class CountingAward(Frozen):
    """An award that gives the fast track, as the text names it."""

    level: AwardLevel
    name_zh: StrictStr
    # Whose award (city: [上海市, 上海, Shanghai]); left out: the level has one (中国质量奖).
    jurisdictions: tuple[StrictStr, ...] | None = Field(default=None, min_length=1)
    # The record's `tier` that counts (national: `award`, not `nomination`); left out: any.
    # A record that gives no tier where tiers are named does not count.
    tiers: tuple[StrictStr, ...] | None = Field(default=None, min_length=1)


class FastTrack(_Block):
    """Applicants holding a higher award skip to a later stage."""

    awards: tuple[CountingAward, ...] = Field(min_length=1)
    within_years: PosInt
    skips_to: StageId


# ---------------------------------------------------------------------------------------------
# Process: application, stages, notices


class Recommendation(_Block):
    required: StrictBool
    by_zh: StrictStr  # who recommends, in the regulation's words
    # 崇明: any unit, department, association, expert or past winner may recommend and the
    # office must then confirm that the organization wants to apply.
    third_party_allowed: StrictBool = False
    confirm_willingness: StrictBool = False


class NoticeLength(Frozen):
    value: PosInt
    unit: Unit
    minimum: StrictBool  # "不少于": the office may publish longer
    # Set only when an office configured a length the regulation leaves open.
    source: Literal["regulation", "configuration"] = "regulation"
    cite: StrictStr | None = None


class Notice(_Block):
    # A configured notice (the whole block was `{silent: ...}`) cites the office's decision
    # in `cite` and `title_cite`; ``source`` is then ``configuration``.
    required: StrictBool
    length: OrSilent[NoticeLength] | None = None
    audiences: tuple[Literal["public", "applicant_organization", "district_media"], ...] = ()
    # The stage may be left only when the window has ended without an upheld objection.
    requires_no_objection: StrictBool = False
    # 滨江: issues raised during the notice are investigated and reported to the committee.
    issues_reported_to_committee: StrictBool = False
    # The notice's title (the list it publishes) in the regulation's own words, with the
    # article that names it. Where the text names no list, ``title_derived`` explains how
    # the title was derived from what the text says is published.
    title_zh: StrictStr | None = Field(default=None, min_length=2)
    title_en: StrictStr | None = Field(default=None, min_length=2)
    title_cite: StrictStr | None = Field(default=None, min_length=1)
    title_derived: StrictStr | None = Field(default=None, min_length=5)
    note: StrictStr | None = None

    @model_validator(mode="after")
    def _length_when_required(self) -> Notice:
        if self.title_cite is not None and self.source == "regulation":
            _check_citation(self.title_cite)
        if self.required and self.length is None:
            raise ValueError("a required notice needs `length` (or `length: {silent: ...}`)")
        if not self.required and self.length is not None:
            raise ValueError("a notice that is not required takes no `length`")
        titled = [k for k in ("title_zh", "title_en", "title_cite", "title_derived")
                  if getattr(self, k) is not None]
        if self.required and not {"title_zh", "title_en", "title_cite"} <= set(titled):
            raise ValueError(
                "a required notice needs its title: `title_zh` in the regulation's words, "
                "`title_en` and `title_cite` (add `title_derived` when the text names no list)"
            )
        if not self.required and titled:
            raise ValueError(
                f"a notice that is not required takes no title ({', '.join(titled)})")
        return self


class Notices(Frozen):
    # A whole notice may be `{silent: ...}` where the text does not settle whether (or how)
    # the list is published: publishing it, or a stage whose `notice` names it, stops for
    # configuration (``Policy.notice``); displays use ``Policy.notice_rule``.
    eligibility: OrSilent[Notice]
    shortlist: OrSilent[Notice]
    final: OrSilent[Notice]
    internal: OrSilent[Notice]


class NoticeCountingConfig(Frozen):
    """How a policy's notice windows are counted, where its regulation states it (citing the
    article), or the office's configured decision that the publication day is day 1 (citing
    the decision; the one counting choice configuration may make). A policy without it counts
    by the law: 民法典 第二百零一条、第二百零三条 (docs/conventions.md, "Notice windows")."""

    publication_day_counts: StrictBool
    # 民法典 第二百零三条 applies unless the regulation itself says otherwise.
    calendar_days_extend_to_workday: StrictBool = True
    cite: StrictStr = Field(min_length=1)
    source: Literal["regulation", "configuration"] = "regulation"
    note: StrictStr | None = None

    @model_validator(mode="after")
    def _configuration_chooses_only_day_1(self) -> NoticeCountingConfig:
        if self.source == "regulation":
            _check_citation(self.cite)
        elif not (self.publication_day_counts and self.calendar_days_extend_to_workday):
            raise ValueError(
                "configuration may only decide that the publication day is day 1 "
                "(`notice_counting.publication_day_counts: {value: true, cite: ...}`); "
                "everything else about counting follows the law or the regulation")
        return self


def _exit_from_id(raw: Any) -> Any:
    return {"to": raw} if isinstance(raw, str) else raw


class Exit(Frozen):
    """A way out of a stage other than the next stage: ``not_shortlisted``, or
    ``{to: not_shortlisted, cite: 第二十二条第二款}`` when another article than the stage's
    own allows it."""

    to: ExitTarget
    cite: Citation | None = None  # None: the stage's own article
    note: StrictStr | None = None


class Stage(Frozen):
    id: StageId
    name_zh: StrictStr
    name_en: StrictStr
    public_name_zh: StrictStr
    public_name_en: StrictStr
    notice: NoticeStage | None = None  # the notice published at the end of this stage
    optional: StrictBool = False
    # Where the stage may send an application besides the next stage (withdrawal is always
    # possible; an upheld objection removes from a notice).
    exits: tuple[Annotated[Exit, BeforeValidator(_exit_from_id)], ...] = ()
    cite: Citation

    @model_validator(mode="after")
    def _exits_fit(self) -> Stage:
        targets = [e.to for e in self.exits]
        if len(set(targets)) != len(targets):
            raise ValueError(f"stages.{self.id}.exits: an exit is listed twice")
        if self.exits and self.id in CYCLE_LEVEL:
            raise ValueError(
                f"stages.{self.id}.exits: `{self.id}` belongs to the cycle, not to an "
                "application; it takes no exits")
        return self

    def exit(self, target: str) -> Exit | None:
        return next((e for e in self.exits if e.to == target), None)


class Shortlist(Frozen):
    method: OpenLeaf[Literal["best_of_good", "ranking", "ratio_of_awards"]]
    max_ratio_of_awards: Annotated[float, Field(gt=1)] | None = None
    feedback_to_others: CitedOrNone[StrictStr]
    cite: Citation


class Committee(Frozen):
    name_zh: StrictStr
    vote: OpenLeaf[Literal["deliberation", "vote", "secret_ballot"]]
    before_vote_zh: StrictStr | None = None  # e.g. 现场展示或实地核查
    cite: Citation


class Cycle(Frozen):
    frequency_years: MaybeCited[PosInt]
    needs_approval: MaybeCited[StrictBool]
    # True: applications are reviewed as they arrive, so a review stage may begin while the
    # application window is open. False (and silence): no later stage begins before the
    # window closes. Cite the article that sets the deadline or the comparative review.
    reviewed_on_arrival: MaybeCited[StrictBool]


# ---------------------------------------------------------------------------------------------
# Quotas and prizes


class QuotaLimit(Frozen):
    tier: StrictStr
    tracks: tuple[TrackId, ...] = Field(min_length=1)  # more than one: a combined limit
    max: OpenLeaf[NonNegInt]
    per: Literal["cycle", "sector"]
    cite: Citation


class Quotas(Frozen):
    fewer_or_none_allowed: MaybeCited[StrictBool]
    limits: OpenLeaf[Annotated[tuple[QuotaLimit, ...], Field(min_length=1)]]
    adjustable_by_higher_rules: MaybeCited[StrictBool] | None = None

    @property
    def limit_list(self) -> tuple[QuotaLimit, ...]:
        """The limits, given or configured; () where the text does not settle them."""
        v = self.limits
        if isinstance(v, Cited):
            return tuple(v.value)
        return () if isinstance(v, Silent) else v


class Prize(Frozen):
    tier: StrictStr
    track: TrackId
    items: tuple[PrizeItem, ...]
    amount_yuan: MaybeCited[NonNegInt]
    cite: Citation


class RepeatWinnerRule(Frozen):
    tier: StrictStr  # the tier won again
    previously: tuple[StrictStr, ...]  # having already won one of these tiers
    items: tuple[PrizeItem, ...]
    money: StrictBool
    counts_in_quota: StrictBool
    cite: Citation


class HigherAwardBonus(Frozen):
    level: AwardLevel
    tier: Literal["award", "nomination"]
    amount_yuan: MaybeCited[NonNegInt]


class HigherAwardBonuses(_Block):
    bonuses: tuple[HigherAwardBonus, ...]
    only_highest_paid: MaybeCited[StrictBool]


class Prizes(Frozen):
    awards: OpenLeaf[tuple[Prize, ...]]
    repeat_winners: OrNone[tuple[RepeatWinnerRule, ...]]
    higher_level_bonuses: OrNone[HigherAwardBonuses]

    @property
    def award_list(self) -> tuple[Prize, ...]:
        """The prizes, given or configured; () where the text does not settle them."""
        v = self.awards
        if isinstance(v, Cited):
            return tuple(v.value)
        return () if isinstance(v, Silent) else v


# ---------------------------------------------------------------------------------------------
# After the award


class AnnualReport(_Block):
    years: PosInt
    starts: Literal["award_year", "year_after_award"]
    due_zh: StrictStr | None = None  # e.g. 每年3月前
    content_zh: StrictStr
    spot_checks: StrictBool = False


class FollowUp(_Block):
    winners_of_last_years: PosInt


class Revocation(Frozen):
    # {none: ...}: the text revokes but sets no bar on applying again.
    lockout_years: CitedOrNone[PosInt]
    lockout_from: Literal["revocation_date"] = "revocation_date"
    # Only events within N years of the award lead to revocation (瀍河 第二十九条: 2).
    within_years_of_award: PosInt | None = None
    discretionary: OpenLeaf[StrictBool]  # "可" (may) rather than "shall"
    recover: OpenLeaf[tuple[PrizeItem, ...]]
    published: OpenLeaf[StrictBool]
    credit_platform: OpenLeaf[StrictBool]
    cite: Citation


class Revocations(Frozen):
    fraud: Revocation
    incident: Revocation


class TitleUse(_Block):
    with_award_year: StrictBool
    with_track_zh: StrictBool = False
    never_on_products: StrictBool


class Obligations(Frozen):
    annual_report: OrNone[AnnualReport]
    follow_up: OrNone[FollowUp]
    title_use: OrNone[TitleUse]
    winners_join_expert_pool: CitedOrNone[StrictBool]
    records_retention_years: CitedOrNone[PosInt]
    post_evaluation: CitedOrNone[StrictStr]


# ---------------------------------------------------------------------------------------------
# Reviewers, objections, incubation


RecusalRelation = Literal[
    "interest",  # 利害关系 in general
    "employed_by_applicant",
    "serving_applicant",
    "internal_unit",
    "subordinate_unit",
    "business_partner",
    "competitor",
    "mentor_of_applicant",
]


Sanction = Literal["criticism", "warning", "disqualification", "public_notice"]


# -- Citations of parts of a value (issue 7) ---------------------------------------------------


class CitedRecusal(Frozen):
    """Recusal relations set by another article than the reviewers' recusal rule."""

    relations: tuple[RecusalRelation, ...] = Field(min_length=1)
    cite: Citation
    note: StrictStr | None = None


class Reviewers(Frozen):
    team_min_size: MaybeCited[PosInt]
    team_leader: MaybeCited[StrictBool]
    dissolved_after: MaybeCited[Literal["year", "cycle"]]
    recusal: MaybeCited[tuple[RecusalRelation, ...]]
    staff_recuse_too: MaybeCited[StrictBool]
    sanctions: CitedOrNone[tuple[Sanction, ...]]
    rehire_ban_years_after_disqualification: CitedOrNone[PosInt]
    two_way_supervision: CitedOrNone[StrictStr]
    # Relations that another article than ``recusal.cite`` sets (长宁 第十五条第二款: a mentor
    # of the applicant recuses), each with its own article; not repeated in ``recusal``.
    recusal_elsewhere: tuple[CitedRecusal, ...] = ()

    def _recusal_listed(self) -> tuple[str, ...]:
        return tuple(self.recusal.value) if isinstance(self.recusal, Cited) else ()

    @model_validator(mode="after")
    def _recusal_once(self) -> Reviewers:
        listed = list(self._recusal_listed()) + [r for e in self.recusal_elsewhere
                                             for r in e.relations]
        twice = sorted({r for r in listed if listed.count(r) > 1})
        if twice:
            raise ValueError(
                f"recusal: {', '.join(twice)} listed twice; name each relation once, in "
                "`recusal` or in the `recusal_elsewhere` entry of the article that sets it")
        return self

    def recusal_relations(self) -> dict[str, str]:
        """Every relation that makes a reviewer recuse, with the article that sets it."""
        out: dict[str, str] = ({r: self.recusal.cite for r in self.recusal.value}
                                 if isinstance(self.recusal, Cited) else {})
        out.update((r, e.cite) for e in self.recusal_elsewhere for r in e.relations)
        return out


# -- The expert review (issue 8): scoring, ranking, pledges ----------------------------------

# Product defaults where every regulation is silent (docs/conventions.md, "Scores, consensus
# and ranking"); an office may configure another value citing its decision.
DEFAULT_SPREAD_THRESHOLD = 20  # percentage points between the highest and lowest sheet
DEFAULT_FORMER_EMPLOYER_YEARS = 3  # a former employer within N years is a conflict

ReviewStageId = Literal["material_review", "site_review", "presentation"]
RankingBasis = Literal["mean", "median", "normalised", "consensus"]
TieBreakPrefer = Literal["true_first", "higher", "lower"]
PledgeKind = Literal["confidentiality", "recusal"]
# A tie-break value: a profile fact (``fact:sme_new_industry``), the points of a criteria
# category or item in the ranked stage (``category:4.1``, ``item:4.1.2``), or another stage's
# total (``stage:site_review``).
TIE_KEY_PATTERN = r"^(fact|category|item|stage):[A-Za-z0-9_][A-Za-z0-9_.\-]*$"


class TieBreakRule(Frozen):
    """One rule that orders applications with equal scores; the list carries the citation."""

    key: StrictStr = Field(pattern=TIE_KEY_PATTERN)
    prefer: TieBreakPrefer
    label_zh: StrictStr | None = None
    label_en: StrictStr | None = None

    @model_validator(mode="after")
    def _prefer_fits_key(self) -> TieBreakRule:
        is_fact = self.key.startswith("fact:")
        if is_fact != (self.prefer == "true_first"):
            raise ValueError(
                f"tie-break `{self.key}`: a fact puts `true_first`; a score prefers `higher` "
                "or `lower`")
        return self


class ReviewRanking(Frozen):
    """Who ranks (or draws the list from the review), on which basis, and how ties are
    broken. ``basis`` and ``tie_breaks`` are silent in every bundled regulation: the office
    configures them, citing its decision."""

    by_zh: StrictStr = Field(min_length=2)  # who, in the regulation's words
    basis: MaybeCited[RankingBasis]
    tie_breaks: MaybeCited[tuple[TieBreakRule, ...]]
    cite: Citation
    note: StrictStr | None = None

    @model_validator(mode="after")
    def _tie_keys_once(self) -> ReviewRanking:
        if isinstance(self.tie_breaks, Cited):
            keys = [t.key for t in self.tie_breaks.value]
            twice = sorted({k for k in keys if keys.count(k) > 1})
            if twice:
                raise ValueError(f"review.ranking.tie_breaks: {', '.join(twice)} listed twice")
        return self


class ReviewRules(Frozen):
    """The policy's rules for the expert review (docs/policy-guide.md §5.17)."""

    # Which review stages are scored with the criteria (item by item), each cited.
    scoring: dict[ReviewStageId, MaybeCited[StrictBool]] = Field(min_length=1)
    ranking: ReviewRanking
    # Items whose spread exceeds this many percentage points are flagged for the consensus
    # meeting. Silent: the product default (DEFAULT_SPREAD_THRESHOLD).
    spread_threshold: MaybeCited[NonNegInt]
    # A former employer within this many years is a conflict of interest. Silent: the
    # product default (DEFAULT_FORMER_EMPLOYER_YEARS).
    former_employer_years: MaybeCited[NonNegInt]
    # Whether the reports an applicant receives name the experts. Silent: not named.
    experts_named_to_applicants: MaybeCited[StrictBool]
    # What an expert pledges before first access to a cycle (保密承诺、回避承诺).
    pledge: CitedOrNone[tuple[PledgeKind, ...]]
    # The organization confirms the site-review report (滨江 四、（五）).
    site_report_confirmation: CitedOrNone[StrictBool]

    @model_validator(mode="after")
    def _pledge_once(self) -> ReviewRules:
        if isinstance(self.pledge, Cited) and len(set(self.pledge.value)) != len(
                self.pledge.value):
            raise ValueError("review.pledge: a duty is listed twice")
        return self


class Objections(_Block):
    real_name: StrictBool
    evidence_required: StrictBool


ObjectionDecider = Literal["committee", "office_head", "office", "government"]


# Appeals (申诉/复核): which decisions an applicant may ask to have reviewed, within what time of
# the notification, and who decides (never the one who made the decision).
AppealableDecision = Literal["eligibility", "shortlist"]
AppealDecider = Literal["review_team", "office_head", "office", "committee"]


class AppealTimeLimit(Cited[PosInt]):
    """Days from the notification of the decision within which an appeal may be filed."""

    unit: Unit = "days"


class Appeals(_Block):
    decisions: tuple[AppealableDecision, ...] = Field(min_length=1)
    # Silent: the office must configure the time limit before an appeal can be filed.
    time_limit: OrSilent[AppealTimeLimit]
    decided_by: MaybeCited[AppealDecider]
    note: StrictStr | None = None

    @model_validator(mode="after")
    def _decisions_once(self) -> Appeals:
        if len(set(self.decisions)) != len(self.decisions):
            raise ValueError("appeals.decisions: a decision is listed twice")
        return self


class IncubationPool(_Block):
    entry_routes: tuple[Literal["self", "industry", "expert"], ...]
    free_training: StrictBool
    mentors_recuse: StrictBool | Cited[StrictBool]


# ---------------------------------------------------------------------------------------------
# Duties (issue 7): rules with no effect on a verdict, shown to the office in the checklist of
# the stage they belong to. docs/policy-guide.md §5.16 says where each kind goes.

# Phases of the cycle besides its stages: ``throughout`` (every stage: no fees,
# confidentiality) and ``after_award`` (after the award: title use, prize money, revocation).
DutyPhase = Literal["throughout", "after_award"]
DUTY_PHASES: tuple[DutyPhase, ...] = ("throughout", "after_award")
DutyKind = Literal[
    "no_fees",  # 不收取任何费用
    "confidentiality",  # 保密
    "department_consultation",  # 必要时以书面形式征求相关部门意见
    "objection_channel",  # 向社会公开异议举报渠道和处理流程
    "committee_representativeness",  # 综合考虑行业代表性
    "site_report_confirmation",  # 现场评审报告由该组织确认
    "mentor_filing",  # 指导专家向评审办备案
    "prize_money_use",  # 奖金（奖励经费）的用途
    "share_experience",  # 宣传推广先进质量管理经验
    "title_misuse",  # 荣誉称号的使用，责令改正
    "revocation_other_matters",  # 其他违反宗旨与原则的重大事项
    "revocation_decider",  # 谁决定撤销
    "higher_rules_prevail",  # 与上级办法冲突时遵循上级规定
]


class Duty(Frozen):
    """A duty of the office (or a check it makes) that changes no verdict, with its article."""

    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: DutyKind
    stage: StageId | DutyPhase
    text_zh: StrictStr = Field(min_length=4)
    text_en: StrictStr = Field(min_length=4)
    cite: Citation
    note: StrictStr | None = None


# ---------------------------------------------------------------------------------------------
# The policy


class Policy(Frozen):
    schema_version: Literal[1]
    # Words of lowercase letters and digits joined by hyphens, then the year: hongkou-2021,
    # wuxi-binhu-2023. The folder holding the policy has the same name.
    id: StrictStr = Field(pattern=POLICY_ID_PATTERN)
    jurisdiction: Jurisdiction
    award_name_zh: StrictStr
    award_name_en: StrictStr
    title_zh: StrictStr
    document_number: CitedOrNone[StrictStr]
    issued_on: MaybeCited[dt.date]
    in_force: InForce
    supersedes: CitedOrNone[tuple[StrictStr, ...]]

    tracks: dict[TrackId, Track] = Field(min_length=1)
    tiers: tuple[Tier, ...] = Field(min_length=1)
    cycle: Cycle
    quotas: Quotas

    eligibility: dict[TrackId, tuple[EligibilityRule, ...]]
    after_award_lockout: OrNone[AfterAwardLockout]
    fast_track: OrNone[FastTrack]

    # `{silent: ...}` where the text does not settle who recommends (or whether anyone must):
    # an action that needs it (submitting, eligibility review, the departments' pages) stops
    # for configuration; use :meth:`recommendation_rule`.
    recommendation: OrSilent[Recommendation]
    stages: tuple[Stage, ...] = Field(min_length=3)
    notices: Notices
    # None: counted by 民法典 第二百零一条、第二百零三条 (no bundled regulation states a counting).
    notice_counting: NoticeCountingConfig | None = None
    shortlist: Shortlist
    committee: Committee
    objections: OrNone[Objections]
    # Who decides that an upheld objection removes an application; where the text is
    # silent the office head signs off (see ``objection_removal_decider``), configurable.
    objection_removal_by: MaybeCited[ObjectionDecider]
    # Appeals (申诉/复核) against an eligibility or shortlist decision; `{none: ...}` where the
    # regulation provides none (then no appeal can be filed), `{silent: ...}` where the text
    # does not settle whether one exists (then filing one needs configuration first).
    appeals: OrNone[Appeals]

    prizes: Prizes
    revocation: Revocations
    obligations: Obligations
    reviewers: Reviewers
    incubation_pool: OrNone[IncubationPool]
    # The expert review (issue 8): which stages are scored, ranking, pledge, defaults.
    review: ReviewRules

    # Filled by a configuration file: dotted key -> the office decision that set it.
    configured: dict[StrictStr, StrictStr] = {}

    # Duties with no effect on a verdict (issue 7), each for a stage of this policy or a phase.
    duties: tuple[Duty, ...] = ()

    @model_validator(mode="after")
    def _duties_fit(self) -> Policy:
        problems = []
        stage_ids = {s.id for s in self.stages}
        seen: set[str] = set()
        for d in self.duties:
            if d.id in seen:
                problems.append(f"duties.{d.id}: the id is used twice")
            seen.add(d.id)
            if d.stage not in stage_ids and d.stage not in DUTY_PHASES:
                problems.append(
                    f"duties.{d.id}.stage: `{d.stage}` is not one of the policy's stages "
                    f"({', '.join(s.id for s in self.stages)}) nor a phase "
                    f"({', '.join(DUTY_PHASES)})")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        problems: list[str] = []
        tier_ids = [t.id for t in self.tiers]
        if len(set(tier_ids)) != len(tier_ids):
            problems.append("tiers: duplicate tier id")
        for tier in self.tiers:
            for track in tier.tracks:
                if track not in self.tracks:
                    problems.append(f"tiers.{tier.id}.tracks: `{track}` is not a declared track")
        if set(self.eligibility) != set(self.tracks):
            problems.append(
                "eligibility: needs exactly one rule list per declared track "
                f"({', '.join(sorted(self.tracks))})"
            )
        known = set(tier_ids)
        for lim in self.quotas.limit_list:
            if lim.tier not in known:
                problems.append(f"quotas.limits: unknown tier `{lim.tier}`")
        for prize in self.prizes.award_list:
            if prize.tier not in known:
                problems.append(f"prizes.awards: unknown tier `{prize.tier}`")
        if given(self.after_award_lockout):
            for t in self.after_award_lockout.tiers:
                if t not in known:
                    problems.append(f"after_award_lockout.tiers: unknown tier `{t}`")
        if given(self.prizes.repeat_winners):
            for r in self.prizes.repeat_winners:
                for t in (r.tier, *r.previously):
                    if t not in known:
                        problems.append(f"prizes.repeat_winners: unknown tier `{t}`")
        stage_ids = [s.id for s in self.stages]
        for scored in self.review.scoring:
            if scored not in stage_ids:
                problems.append(f"review.scoring.{scored}: `{scored}` is not one of the "
                                "policy's stages")
        for review_stage in get_args(ReviewStageId):
            if review_stage in stage_ids and review_stage not in self.review.scoring:
                problems.append(
                    f"review.scoring.{review_stage}: the policy has the stage "
                    f"`{review_stage}`; say whether it is scored (cited, or silent)")
        if len(set(stage_ids)) != len(stage_ids):
            problems.append("stages: a stage appears twice")
        for needed in (StageId.ELIGIBILITY, StageId.COMMITTEE):
            if needed not in stage_ids:
                problems.append(f"stages: the `{needed}` stage is missing")
        for stage in self.stages:
            named = None if stage.notice is None else getattr(self.notices, stage.notice)
            if isinstance(named, Notice) and not named.required:
                problems.append(
                    f"stages.{stage.id}.notice: `{stage.notice}` notice is not required "
                    "in `notices`"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # -- convenience --------------------------------------------------------------------------

    def tier(self, tier_id: str) -> Tier:
        for t in self.tiers:
            if t.id == tier_id:
                return t
        raise KeyError(tier_id)

    def recommendation_rule(self) -> Recommendation:
        """The recommendation rule, or ConfigurationRequired naming ``recommendation`` where
        the text does not settle it."""
        rec = self.recommendation
        if isinstance(rec, Silent):
            raise ConfigurationRequired(self.id, "recommendation", rec.silent)
        return rec

    @property
    def recommendation_cite(self) -> str | None:
        """The recommendation's article, for displays; the silence's article if any."""
        return self.recommendation.cite

    def notice_rule(self, stage: str) -> Notice | Silent:
        """The notice ``stage`` as the policy states it, silence included (for displays)."""
        if stage not in Notices.model_fields:
            raise KeyError(stage)
        notice: Notice | Silent = getattr(self.notices, stage)
        return notice

    def notice(self, stage: str) -> Notice:
        """The notice ``stage``, or ConfigurationRequired naming ``notices.<stage>`` where
        the text does not settle whether or how it is published."""
        notice = self.notice_rule(stage)
        if isinstance(notice, Silent):
            raise ConfigurationRequired(self.id, f"notices.{stage}", notice.silent)
        return notice

    def notice_required(self, stage: str) -> bool:
        """Whether the notice is required; a silent notice counts as not (yet) required in
        displays, and stops the action that needs it (:meth:`notice`)."""
        notice = self.notice_rule(stage)
        return isinstance(notice, Notice) and notice.required

    def stage_index(self, stage_id: str) -> int:
        return [s.id for s in self.stages].index(stage_id)  # type: ignore[arg-type]

    def stage(self, stage_id: str) -> Stage:
        for s in self.stages:
            if s.id == stage_id:
                return s
        raise KeyError(stage_id)

    @property
    def reviewed_on_arrival(self) -> bool:
        """Whether a review stage may begin before the application window closes; silence
        means no."""
        v = self.cycle.reviewed_on_arrival
        return bool(v.value) if given(v) else False

    def appealable(self, decision: str) -> bool:
        """Whether the policy lets an applicant appeal ``decision`` (eligibility, shortlist)."""
        return given(self.appeals) and decision in self.appeals.decisions

    @property
    def objection_removal_decider(self) -> ObjectionDecider:
        """Who decides an upheld objection's removal; silence means the office head."""
        v = self.objection_removal_by
        return v.value if given(v) else "office_head"

    # -- the expert review (issue 8) -----------------------------------------------------------

    def ranking_basis(self) -> RankingBasis:
        """What ranks the applications (mean, median, normalised, consensus), or
        ConfigurationRequired naming ``review.ranking.basis`` where the text is silent."""
        v = self.review.ranking.basis
        if isinstance(v, Silent):
            raise ConfigurationRequired(self.id, "review.ranking.basis", v.silent)
        return v.value

    def tie_break_rules(self) -> Cited[tuple[TieBreakRule, ...]]:
        """The ordered tie-break rules with their citation, or ConfigurationRequired naming
        ``review.ranking.tie_breaks`` where the text is silent."""
        v = self.review.ranking.tie_breaks
        if isinstance(v, Silent):
            raise ConfigurationRequired(self.id, "review.ranking.tie_breaks", v.silent)
        return v

    def stage_scored(self, stage: str) -> bool:
        """Whether ``stage`` is scored with the criteria; False for a stage the review block
        does not list; ConfigurationRequired naming ``review.scoring.<stage>`` where silent."""
        v = self.review.scoring.get(stage)  # type: ignore[call-overload]
        if v is None:
            return False
        if isinstance(v, Silent):
            raise ConfigurationRequired(self.id, f"review.scoring.{stage}", v.silent)
        return bool(v.value)

    @property
    def scored_stages(self) -> tuple[str, ...]:
        """The stages settled as scored, in the policy's order (a silent one is left out:
        ask :meth:`stage_scored` for it)."""
        return tuple(s.id for s in self.stages
                     if isinstance(self.review.scoring.get(s.id), Cited)  # type: ignore[call-overload]
                     and self.review.scoring[s.id].value)  # type: ignore[index, union-attr]

    @property
    def spread_threshold(self) -> int:
        """Percentage points above which an item's spread is flagged; silence: the product
        default (20)."""
        v = self.review.spread_threshold
        return v.value if given(v) else DEFAULT_SPREAD_THRESHOLD

    @property
    def former_employer_years(self) -> int:
        """Years within which a former employer is a conflict; silence: the product
        default (3)."""
        v = self.review.former_employer_years
        return v.value if given(v) else DEFAULT_FORMER_EMPLOYER_YEARS

    @property
    def experts_named_to_applicants(self) -> bool:
        """Whether an applicant's reports name the experts; silence: no."""
        v = self.review.experts_named_to_applicants
        return bool(v.value) if given(v) else False

    def pledge_required(self) -> tuple[PledgeKind, ...]:
        """What an expert pledges before first access to a cycle; () where the regulation
        has no such rule; ConfigurationRequired naming ``review.pledge`` where silent."""
        v = self.review.pledge
        if isinstance(v, NoRule):
            return ()
        if isinstance(v, Silent):
            raise ConfigurationRequired(self.id, "review.pledge", v.silent)
        return tuple(v.value)

    def site_report_confirmation_required(self) -> bool:
        """Whether the organization confirms the site-review report; False where the
        regulation has no such rule; ConfigurationRequired naming
        ``review.site_report_confirmation`` where silent."""
        v = self.review.site_report_confirmation
        if isinstance(v, NoRule):
            return False
        if isinstance(v, Silent):
            raise ConfigurationRequired(self.id, "review.site_report_confirmation", v.silent)
        return bool(v.value)
