"""The authorisation matrix: every URL pattern and every API operation × every principal × the
objects a URL can name (one of 产业发展局's, one of another unit's) → allow, deny or login.

One row per route and method. A row's ``rule`` says who is allowed; wherever it can, it asks the
model's write contract (``Contract(action)`` is ``allows(user, action, obj)`` on the row's
object, ``may(user, Model, action)`` for a page that takes none), so the table and the
contracts cannot drift apart. What no contract can say — pages with no model, the public
portal, a person's own notifications, the Django admin — is written out here.

``tests/authz/test_matrix.py`` generates a test per row; ``test_coverage.py`` fails when a URL
pattern or an API operation has no row. Outcomes are read from the response:

* allow — 200, 201, 302 (not to a login page) and, for a POST with a minimal body, 400/409/422:
  the request got past every permission check to the form's or the service's validation;
* deny — 403 or 404, or (``refusal_by_message``) a redirect carrying an error message, which is
  how those views tell the user they were refused;
* login — a redirect to a login page (the platform, the admin) or 401 (the API).
A 500 is never expected.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ALLOW, DENY, LOGIN = "allow", "deny", "login"

PRINCIPALS = (
    "anonymous",
    "admin",
    "leader",
    "supervisor",
    "staff_cyfz",
    "staff_jjhz",
    "statistician",
    "liaison",
    "enterprise",
    "editor",
    "reviewer",
    "staff_kjcx",  # a clerk of a second department (科技创新与人才服务局)
    "staff_smjk",  # a clerk of a peer park outside the zone (松木经开区)
)


# --- rules -------------------------------------------------------------------------------------
class Rule(ABC):
    """Whether a logged-in principal is allowed (``ALLOW`` or the outcome a refusal takes)."""

    @abstractmethod
    def outcome(self, user, obj) -> str: ...


@dataclass(frozen=True)
class Public(Rule):
    """Everyone, logged in or not; ``hidden`` objects (a draft on the public site) for nobody."""

    hidden: tuple[str, ...] = ()

    def outcome(self, user, obj) -> str:
        return DENY if obj is not None and obj.key in self.hidden else ALLOW


@dataclass(frozen=True)
class LoggedIn(Rule):
    """Anyone logged in; what each sees is scoped (the contracts' own tests check the rows)."""

    def outcome(self, user, obj) -> str:
        return ALLOW


@dataclass(frozen=True)
class Always(Rule):
    """The same outcome for everyone (an unknown API path: 404; logging out: the login page)."""

    value: str

    def outcome(self, user, obj) -> str:
        return self.value


@dataclass(frozen=True)
class Contract(Rule):
    """The write contract: ``allows(user, action, record)`` for the row's object (or the
    record ``via`` names: an attachment's article, a batch's observations, all of which must
    allow), ``may(user, model, action)`` for a page that takes no object or when ``model``
    is given."""

    action: str
    model: str | None = None
    via: Callable[[Any], Any] | None = None

    def outcome(self, user, obj) -> str:
        from django.apps import apps

        from shouwei.core.permissions import allows, may

        if self.model is not None:
            return ALLOW if may(user, apps.get_model(self.model), self.action) else DENY
        records = self.via(obj.instance) if self.via else obj.instance
        if not isinstance(records, list | tuple):
            records = [records]
        return ALLOW if all(allows(user, self.action, r) for r in records) else DENY


@dataclass(frozen=True)
class Importer(Rule):
    """An import of the row's importer (or the one ``via`` names: a batch's): the contract's
    ``action`` on the model it writes."""

    action: str
    via: Callable[[Any], Any] | None = None

    def outcome(self, user, obj) -> str:
        from shouwei.core.permissions import may

        importer = self.via(obj.instance) if self.via else obj.instance
        return ALLOW if may(user, importer.model, self.action) else DENY


@dataclass(frozen=True)
class Both(Rule):
    rules: tuple[Rule, ...]

    def outcome(self, user, obj) -> str:
        for rule in self.rules:
            out = rule.outcome(user, obj)
            if out != ALLOW:
                return out
        return ALLOW


@dataclass(frozen=True)
class Recipient(Rule):
    """A notification is its recipient's alone (not even the administrator reads it)."""

    def outcome(self, user, obj) -> str:
        return ALLOW if obj.instance.recipient_id == user.pk else DENY


@dataclass(frozen=True)
class Internal(Rule):
    """A record's change history: for the people of its own units (``reads_internally``),
    not for everyone who may read it as a published figure (docs/decisions/0006)."""

    def outcome(self, user, obj) -> str:
        from shouwei.core.permissions import reads_internally

        return ALLOW if reads_internally(user, obj.instance) else DENY


@dataclass(frozen=True)
class Administers(Rule):
    """The restore of an old version: the record's administrator (``administers``); the write
    contract then judges the write itself (tests/core/test_record_history.py)."""

    def outcome(self, user, obj) -> str:
        from shouwei.core.permissions import administers

        return ALLOW if administers(user, obj.instance) else DENY


@dataclass(frozen=True)
class Explicit(Rule):
    """Written out, principal by principal, where no rule of the product says it."""

    table: tuple[tuple[str, str], ...]
    default: str

    def outcome(self, user, obj) -> str:
        return dict(self.table).get(getattr(user, "username", "anonymous"), self.default)


@dataclass(frozen=True)
class Staff(Rule):
    """The Django admin: staff accounts only, everyone else is sent to the admin's login; a
    staff account within what the model's admin permits (``permission``: view, add, change,
    delete; the admins of axes' logs and of the task results allow no adding)."""

    model: str | None = None
    permission: str = "view"

    def outcome(self, user, obj) -> str:
        if not (user.is_active and user.is_staff):
            return LOGIN
        if self.model is None:
            return ALLOW
        from django.apps import apps
        from django.contrib import admin
        from django.test import RequestFactory

        request = RequestFactory().get("/admin/")
        request.user = user
        model_admin = admin.site._registry[apps.get_model(self.model)]
        allowed = getattr(model_admin, f"has_{self.permission}_permission")(request)
        return ALLOW if allowed else DENY


# --- rows --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """``key``: a URL pattern's name (``indicators:observation_edit``), ``"METHOD /api/path"``
    for an API operation, ``"portal-site <name>"`` for the portal-only instance's URLs."""

    key: str
    rule: Rule
    method: str = "GET"
    objects: tuple[str, ...] = ()  # kinds of object in the world (tests/authz/conftest.py)
    data: dict[str, Any] | None = None  # a POST's body; the object's own when it has one
    query: str = ""
    # An anonymous visitor meets the login wall (platform, API) unless the row says the rule
    # itself answers for them (the public portal).
    anonymous: str | None = LOGIN
    refusal_by_message: bool = False
    # Rows whose request changes the client itself (logging out, switching language) get a
    # fresh client of the same principal.
    fresh_client: bool = False
    principals: tuple[str, ...] = PRINCIPALS
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.key}" if not self.key.startswith(self.method) else self.key


# Object kinds. Observations: the zone's figure reported by 产业发展局 (cyfz), one reported by
# 经济合作局 (jjhz), and the peer park's own (smjk), in the state each action applies to.
OBS_DRAFT = "observation.draft"
OBS_SUBMITTED = "observation.submitted"
OBS_APPROVED = "observation.approved"
OBSERVATIONS = (OBS_DRAFT, OBS_SUBMITTED, OBS_APPROVED)
ARTICLES = ("article.draft", "article.in_review", "article.published")

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"


def crud(
    prefix: str,
    model: str,
    objects: tuple[str, ...],
    *,
    edit_objects: tuple[str, ...] | None = None,
    delete: bool = True,
    edit: bool = True,
    list_rule: Rule | None = None,
    export_query: str = "export=csv",
    history: bool = True,
) -> list[Row]:
    """The rows of one generic view set (core.generic.ObjectViewSet.urls)."""
    name = model.split(".")[1].lower()
    edit_objects = edit_objects if edit_objects is not None else objects
    # A list opens to everyone logged in (each sees the rows their scope allows) unless the
    # view set names the roles it needs (the portal's editing pages).
    list_rule = list_rule or LoggedIn()
    rows = [
        Row(f"{prefix}:{name}_list", list_rule),
        Row(f"{prefix}:{name}_list", list_rule, query=export_query, extra={"variant": "csv"}),
        Row(f"{prefix}:{name}_detail", Contract(VIEW), objects=objects),
    ]
    if edit:
        rows += [
            Row(f"{prefix}:{name}_add", Contract(ADD, model)),
            Row(f"{prefix}:{name}_add", Contract(ADD, model), method="POST", data={}),
            Row(f"{prefix}:{name}_edit", Contract(CHANGE), objects=edit_objects),
            Row(f"{prefix}:{name}_edit", Contract(CHANGE), method="POST", objects=edit_objects),
        ]
    if edit and delete:
        rows += [
            Row(f"{prefix}:{name}_delete", Contract(DELETE), objects=edit_objects),
            Row(f"{prefix}:{name}_delete", Contract(DELETE), method="POST", objects=edit_objects),
        ]
    if history:
        rows += history_rows(prefix, model, objects, restore=edit)
    return rows


def history_rows(prefix: str, model: str, objects: tuple[str, ...], *, restore: bool = True):
    """A record's history page (its own units' people) and the restore of a version (its
    administrator; a POST with no version nor confirmation is refused by message, after every
    permission check — the writes themselves: tests/core/test_record_history.py)."""
    name = model.split(".")[1].lower()
    readers = Both((Contract(VIEW), Internal()))
    rows = [
        Row(f"{prefix}:{name}_history", readers, objects=objects),
        Row(
            f"{prefix}:{name}_history",
            readers,
            objects=objects,
            query="export=xlsx",
            extra={"variant": "xlsx"},
        ),
    ]
    if restore:
        rows.append(
            Row(
                f"{prefix}:{name}_restore",
                Both((Contract(VIEW), Internal(), Administers())),
                method="POST",
                objects=objects,
                data={},
            )
        )
    return rows


def _importer_of(batch):
    from shouwei.imports.registry import get_importer

    return get_importer(batch.importer)


def _batch_records(batch):
    from shouwei.indicators.models import Observation

    return list(Observation.objects.filter(import_batch=batch))


PLATFORM: list[Row] = [
    # --- the site itself
    Row("home", Public(), anonymous=None),
    Row("healthz", Public(), anonymous=None),
    Row("login", Public(), anonymous=None),
    # Logging out ends on the login page, for everyone.
    Row("logout", Always(LOGIN), method="POST", fresh_client=True),
    Row(
        "set_language",
        Public(),
        method="POST",
        data={"language": "en"},
        anonymous=None,
        fresh_client=True,
    ),
    # --- core
    *crud("core", "core.Unit", ("unit",)),
    *crud("core", "core.PeerGroup", ("peergroup",)),
    Row("core:notification_list", LoggedIn()),
    Row("core:notification_open", Recipient(), method="POST", objects=("notification",)),
    Row("core:notification_read_all", LoggedIn(), method="POST"),
    # --- indicators
    Row("indicators:cockpit", LoggedIn()),
    Row("indicators:indicator_unit", Contract(VIEW), objects=("indicator",)),
    *crud("indicators", "indicators.Indicator", ("indicator",)),
    *crud(
        "indicators",
        "indicators.Observation",
        OBSERVATIONS,
        edit_objects=(OBS_DRAFT, OBS_APPROVED),
        # The export opening is the question here, not its 600 rows (scoping has its tests).
        export_query="export=csv&period=2019-10",
    ),
    Row("indicators:observation_submit", Contract("submit"), method="POST", objects=(OBS_DRAFT,)),
    Row(
        "indicators:observation_approve",
        Contract("approve"),
        method="POST",
        objects=(OBS_SUBMITTED,),
    ),
    Row(
        "indicators:observation_reject",
        Contract("reject"),
        method="POST",
        objects=(OBS_SUBMITTED,),
        data={"reason": "矩阵测试"},
    ),
    Row(
        "indicators:observation_correct",
        Contract("correct"),
        method="POST",
        objects=(OBS_APPROVED,),
        data={"reason": "矩阵测试", "value": "11"},
    ),
    *crud("indicators", "indicators.Target", ("target",)),
    # --- imports
    Row("imports:batch_list", Contract(VIEW, model="imports.ImportBatch")),
    Row("imports:start", Importer(ADD), objects=("importer",)),
    Row("imports:start", Importer(ADD), method="POST", objects=("importer",), data={}),
    Row("imports:template", Importer(ADD), objects=("importer",)),
    Row("imports:batch_detail", Contract(VIEW), objects=("batch.committed",)),
    Row("imports:batch_progress", Contract(VIEW), objects=("batch.committed",)),
    Row("imports:batch_file", Contract(VIEW), objects=("batch.committed",)),
    Row(
        "imports:batch_commit",
        # The batch, and an import of its kind (the supervisor may follow batches, not file
        # observations).
        Both((Contract(CHANGE), Importer(ADD, via=_importer_of))),
        method="POST",
        objects=("batch.valid",),
        refusal_by_message=True,
    ),
    Row(
        "imports:batch_rollback",
        # The batch and every record it would delete (finding 1 of issue 10).
        Both((Contract("rollback"), Contract(DELETE, via=_batch_records))),
        method="POST",
        objects=("batch.committed",),
        refusal_by_message=True,
    ),
    # --- evaluation
    Row("evaluation_web:index", Contract(VIEW, "evaluation_web.EvaluationRun")),
    Row(
        "evaluation_web:index",
        Contract(ADD, "evaluation_web.EvaluationRun"),
        method="POST",
        data={},
    ),
    Row("evaluation_web:run_detail", Contract(VIEW), objects=("evaluationrun",)),
    Row(
        "evaluation_web:run_rerun",
        Both((Contract(VIEW), Contract(ADD, "evaluation_web.EvaluationRun"))),
        method="POST",
        objects=("evaluationrun",),
    ),
    Row("evaluation_web:run_export", Contract(VIEW), objects=("evaluationrun",)),
    # --- reports
    *crud("reports", "reports.Report", ("report",), edit=False),
    Row("reports:build", Contract(ADD, "reports.Report")),
    Row("reports:build", Contract(ADD, "reports.Report"), method="POST", data={}),
    Row(
        "reports:rebuild",
        Both((Contract(ADD, "reports.Report"), Contract(VIEW))),
        method="POST",
        objects=("report",),
    ),
    Row(
        "reports:publish",
        Both(
            (
                Contract("publish_to_portal", "reports.Report"),
                Contract(VIEW),
                Contract("publish_to_portal"),
            )
        ),
        method="POST",
        objects=("report",),
    ),
    Row("reports:progress", Contract(VIEW), objects=("report",)),
    Row("reports:download", Contract(VIEW), objects=("report",)),
    # --- projects
    Row("projects:problem_board", LoggedIn()),
    Row("projects:progress_entry", Contract(ADD, "projects.ProgressReport")),
    Row(
        "projects:progress_entry",
        Contract(ADD, "projects.ProgressReport"),
        method="POST",
        data={},
    ),
    Row("projects:weekly_sheet", LoggedIn()),
    Row("projects:photo_add", Contract(CHANGE), objects=("project",)),
    Row("projects:photo_add", Contract(CHANGE), method="POST", objects=("project",), data={}),
    Row("projects:photo", Contract(VIEW), objects=("photo",)),
    Row("projects:photo_thumbnail", Contract(VIEW), objects=("photo",)),
    *crud("projects", "projects.Project", ("project",)),
    *crud("projects", "projects.AnnualPlan", ("annualplan",)),
    *crud("projects", "projects.ProgressReport", ("progressreport",)),
    *crud("projects", "projects.Problem", ("problem",)),
    # --- investment (招商引资)
    Row("investment:board", LoggedIn()),
    Row("investment:fulfilment", LoggedIn()),
    Row("investment:funnel", LoggedIn()),
    Row("investment:chain_gaps", LoggedIn()),
    Row("investment:lead_move", Contract(CHANGE), objects=("lead",)),
    Row("investment:lead_move", Contract(CHANGE), method="POST", objects=("lead",), data={}),
    Row("investment:lead_lose", Contract(CHANGE), objects=("lead",)),
    Row("investment:lead_lose", Contract(CHANGE), method="POST", objects=("lead",), data={}),
    Row("investment:lead_review", Contract(CHANGE), objects=("lead",)),
    Row("investment:lead_review", Contract(CHANGE), method="POST", objects=("lead",), data={}),
    Row("investment:contract_fulfilment", Contract(CHANGE), objects=("contract",)),
    Row(
        "investment:contract_fulfilment",
        Contract(CHANGE),
        method="POST",
        objects=("contract",),
        data={},
    ),
    # A signed lead becomes a key project: the lead changed, a project added.
    Row(
        "investment:lead_convert",
        Both((Contract(CHANGE), Contract(ADD, "projects.Project"))),
        objects=("lead",),
    ),
    Row(
        "investment:lead_convert",
        Both((Contract(CHANGE), Contract(ADD, "projects.Project"))),
        method="POST",
        objects=("lead",),
        data={},
    ),
    Row("investment:contract_funds_sync", Contract(CHANGE), method="POST", objects=("contract",)),
    *crud("investment", "investment.Lead", ("lead",)),
    *crud("investment", "investment.Contract", ("contract",), edit=False),
    *crud("investment", "investment.AdmissionReview", ("admissionreview",), edit=False),
    *crud("investment", "investment.AdmissionThreshold", ("admissionthreshold",)),
    *crud("investment", "investment.Event", ("event",)),
    *crud("investment", "investment.Office", ("office",)),
    *crud("investment", "investment.Agency", ("agency",)),
    *crud("investment", "investment.IndustryChain", ("industrychain",)),
    *crud("investment", "investment.ChainLink", ("chainlink",)),
    *crud("investment", "investment.FortuneListEntry", ("fortunelistentry",)),
    # --- the portal's editing pages
    *crud(
        "portal_manage",
        "portal.Article",
        ARTICLES,
        delete=False,
        list_rule=Contract(VIEW, "portal.Article"),
        history=False,  # the article's versions and review log are its history
    ),
    Row(
        "portal_manage:article_image",
        Contract(CHANGE),
        method="POST",
        objects=ARTICLES,
        data={},
        refusal_by_message=True,
    ),
    Row(
        "portal_manage:article_file",
        Contract(CHANGE),
        method="POST",
        objects=ARTICLES,
        data={},
        refusal_by_message=True,
    ),
    Row(
        "portal_manage:attachment_delete",
        Contract(CHANGE, via=lambda att: att.article),
        method="POST",
        objects=("attachment",),
        refusal_by_message=True,
    ),
    Row(
        "portal_manage:article_submit",
        Contract("submit"),
        method="POST",
        objects=ARTICLES,
        refusal_by_message=True,
    ),
    Row(
        "portal_manage:article_publish",
        Contract("publish"),
        method="POST",
        objects=ARTICLES,
        refusal_by_message=True,
    ),
    Row(
        "portal_manage:article_withdraw",
        Contract("withdraw"),
        method="POST",
        objects=ARTICLES,
        refusal_by_message=True,
    ),
    Row(
        "portal_manage:article_return",
        Contract("return"),
        method="POST",
        objects=ARTICLES,
        data={"reason": "矩阵测试"},
        refusal_by_message=True,
    ),
    Row("portal_manage:article_version", Contract(VIEW), objects=("version",)),
    Row("portal_manage:article_preview", Contract(VIEW), objects=ARTICLES),
    # --- the API's own pages
    Row("api:openapi-json", Public(), anonymous=None),
    Row("api:openapi-view", Public(), anonymous=None),
    Row("api:api-root", Always(DENY), anonymous=None),
    Row("api/^.*$", Always(DENY), anonymous=None, extra={"path": "/api/no-such-endpoint"}),
    # --- the public portal (also served by the platform)
    Row("portal:home", Public(), anonymous=None),
    Row("portal:channel", Public(), objects=("channel",), anonymous=None),
    Row("portal:article", Public(hidden=("draft",)), objects=("portal.article",), anonymous=None),
    Row(
        "portal:attachment",
        # A draft's image: its editors and reviewers only (they preview it at this address).
        Contract(VIEW, via=lambda att: att.article),
        objects=("attachment",),
        anonymous=None,
    ),
    Row("portal:search", Public(), query="q=高新区", anonymous=None),
    Row("portal:open_data", Public(), anonymous=None),
    Row("portal:open_data_export", Public(), anonymous=None, extra={"kwargs": {"fmt": "csv"}}),
    Row("portal:feed_rss", Public(), anonymous=None),
    Row("portal:feed_atom", Public(), anonymous=None),
    Row(
        "portal:set_language",
        Public(),
        method="POST",
        data={"language": "en"},
        anonymous=None,
        fresh_client=True,
    ),
    Row("sitemap", Public(), anonymous=None),
    Row("integrity_manifest", Public(), anonymous=None),
]

# --- projects II (issue 15): scheduling calls, procedures, funding, plans, stoppages, land
PLATFORM += [
    *crud("projects", "projects.SchedulingCall", ("schedulingcall",), delete=False),
    Row("projects:call_todo", Contract(ADD, "projects.ProgressReport")),
    Row("projects:call_sheet", Contract(VIEW), objects=("schedulingcall",)),
    Row("projects:call_close", Contract("close"), method="POST", objects=("schedulingcall",)),
    Row("projects:call_remind", Contract("remind"), method="POST", objects=("schedulingcall",)),
    # The monthly entry as the answer to a call (?call=<pk>): a clerk, on a call they read.
    Row(
        "projects:progress_entry",
        Both((Contract(ADD, "projects.ProgressReport"), Contract(VIEW))),
        objects=("callentry",),
    ),
    *crud("projects", "projects.Procedure", ("procedure",)),
    Row("projects:procedure_board", LoggedIn()),
    *crud("projects", "projects.FundingSource", ("fundingsource",)),
    Row("projects:funding_board", LoggedIn()),
    *crud("projects", "projects.RollingPlan", ("rollingplan",)),
    *crud("projects", "projects.Stoppage", ("stoppage",)),
]


# --- enterprise service (issue 13) ---------------------------------------------------------------
@dataclass(frozen=True)
class EnterpriseContactOf(Rule):
    """The enterprise portal: the contact of the record's enterprise (``via`` finds it: a
    request's, an attachment's request's), then ``otherwise`` for everyone else (deny when
    None). Without an object: any enterprise's contact."""

    via: Callable[[Any], Any] | None = None
    otherwise: Rule | None = None

    def outcome(self, user, obj) -> str:
        from shouwei.enterprises import selectors

        if obj is None:
            contact = selectors.contact_enterprise_id(user) is not None
        else:
            enterprise = self.via(obj.instance) if self.via else obj.instance.enterprise
            contact = selectors.is_contact_of(user, enterprise)
        if contact:
            return ALLOW
        return self.otherwise.outcome(user, obj) if self.otherwise else DENY


def _new_attachment(req):
    from shouwei.enterprises.models import RequestAttachment

    return RequestAttachment(request=req)


ENTERPRISE_READERS = Contract(VIEW, "enterprises.Request")
ENTERPRISES: list[Row] = [
    *crud(
        "enterprises",
        "enterprises.Enterprise",
        ("enterprise",),
        list_rule=Contract(VIEW, "enterprises.Enterprise"),
    ),
    *crud(
        "enterprises",
        "enterprises.EnterpriseContact",
        ("enterprisecontact",),
        list_rule=Contract(VIEW, "enterprises.EnterpriseContact"),
    ),
    *crud(
        "enterprises",
        "enterprises.LiaisonAssignment",
        ("liaisonassignment",),
        list_rule=Contract(VIEW, "enterprises.LiaisonAssignment"),
    ),
    *crud(
        "enterprises",
        "enterprises.Visit",
        ("visit",),
        list_rule=Contract(VIEW, "enterprises.Visit"),
    ),
    *crud(
        "enterprises",
        "enterprises.Request",
        ("request.pending",),
        edit=False,
        list_rule=ENTERPRISE_READERS,
    ),
    Row("enterprises:request_new", Contract(ADD, "enterprises.Request")),
    Row("enterprises:request_new", Contract(ADD, "enterprises.Request"), method="POST", data={}),
    Row(
        "enterprises:request_step",
        Contract("accept"),
        method="POST",
        objects=("request.pending",),
        extra={"kwargs": {"step": "accept"}},
    ),
    Row(
        "enterprises:attachment_add",
        Both((Contract(VIEW), Contract(ADD, via=_new_attachment))),
        method="POST",
        objects=("request.pending",),
        data={},
    ),
    Row(
        "enterprises:attachment",
        EnterpriseContactOf(
            via=lambda att: att.request.enterprise,
            otherwise=Contract(VIEW, via=lambda att: att.request),
        ),
        objects=("requestattachment",),
    ),
    Row("enterprises:desk", ENTERPRISE_READERS),
    Row("enterprises:coverage", ENTERPRISE_READERS),
    Row("enterprises:figures", ENTERPRISE_READERS),
    Row("enterprises:my_assignments", Contract(ADD, "enterprises.Visit")),
    Row("enterprises:contact_home", EnterpriseContactOf()),
    Row("enterprises:contact_new", EnterpriseContactOf()),
    Row("enterprises:contact_new", EnterpriseContactOf(), method="POST", data={}),
    Row("enterprises:contact_request", EnterpriseContactOf(), objects=("request.pending",)),
    Row(
        "enterprises:contact_request",
        EnterpriseContactOf(),
        method="POST",
        objects=("request.pending",),
    ),
    Row(
        "enterprises:contact_attachment",
        EnterpriseContactOf(),
        method="POST",
        objects=("request.pending",),
        data={},
    ),
]


# The portal-only instance (SHOUWEI_SITE=portal, shouwei.urls_portal): nobody logs in there.
PORTAL_SITE: list[Row] = [
    Row(
        f"portal-site {r.key}",
        r.rule,
        method=r.method,
        objects=r.objects,
        data=r.data,
        query=r.query,
        anonymous=None,
        fresh_client=r.fresh_client,
        principals=("anonymous",),
        extra={**r.extra, "name": r.key},
    )
    for r in PLATFORM
    if r.key.startswith("portal:") or r.key in ("sitemap", "integrity_manifest")
] + [Row("portal-site home", Public(), anonymous=None, principals=("anonymous",))]


def api(key: str, rule: Rule, **kwargs) -> Row:
    return Row(key, rule, method=key.split(" ", 1)[0], **kwargs)


API: list[Row] = [
    api("GET /api/units", LoggedIn()),
    api("GET /api/units/{code}", Contract(VIEW), objects=("unit",)),
    api("GET /api/peer-groups", LoggedIn()),
    api("GET /api/peer-groups/{code}", Contract(VIEW), objects=("peergroup",)),
    api(
        "GET /api/peer-groups/{code}/members",
        Contract(VIEW),
        objects=("peergroup",),
        query="year=2022",
    ),
    api("GET /api/indicators", LoggedIn()),
    api("GET /api/indicators/{code}", Contract(VIEW), objects=("indicator",)),
    api("GET /api/observations", LoggedIn()),
    api("POST /api/observations", Contract(ADD), objects=("observation.new",)),
    api("GET /api/observations/{observation_id}", Contract(VIEW), objects=OBSERVATIONS),
    api(
        "POST /api/observations/{observation_id}/submit",
        Contract("submit"),
        objects=(OBS_DRAFT,),
    ),
    api(
        "POST /api/observations/{observation_id}/approve",
        Contract("approve"),
        objects=(OBS_SUBMITTED,),
    ),
    api("GET /api/rankings", LoggedIn(), query="group=hy-5d2p&indicator=gdp&period=2022-06"),
    api("GET /api/targets", LoggedIn()),
    api("GET /api/cockpit", LoggedIn(), query="unit=hy-gxq&period=2022-06"),
    api("GET /api/projects", LoggedIn()),
    api("GET /api/projects/{code}", Contract(VIEW), objects=("project",)),
    api("GET /api/projects-summary", LoggedIn(), query="unit=hy-gxq&period=2022-06"),
    # --- investment (招商引资)
    api("GET /api/investment-leads", LoggedIn()),
    api("GET /api/investment-leads/{pk}", Contract(VIEW), objects=("lead",)),
    api("POST /api/investment-leads", Contract(ADD), objects=("lead.new",)),
    api(
        "POST /api/investment-leads/{pk}/move",
        Contract(CHANGE),
        objects=("lead",),
        data={"to_stage": "contact", "on": "2022-07-25"},
    ),
    api("GET /api/investment-contracts", LoggedIn()),
    api("GET /api/investment-summary", LoggedIn(), query="year=2022"),
    api("GET /api/project-plans", LoggedIn()),
    api("GET /api/project-progress", LoggedIn()),
    api("POST /api/project-progress", Contract(ADD), objects=("progress.new",)),
    api(
        "GET /api/project-progress/{report_id}/photos",
        Contract(VIEW),
        objects=("progressreport",),
    ),
    api("GET /api/project-problems", LoggedIn()),
    # --- enterprise service (issue 13)
    api("GET /api/enterprises", LoggedIn()),
    api("GET /api/enterprises/{uscc}", Contract(VIEW), objects=("enterprise",)),
    api("GET /api/enterprise-requests", LoggedIn()),
    api(
        "GET /api/enterprise-requests/{request_id}",
        EnterpriseContactOf(otherwise=Contract(VIEW)),
        objects=("request.pending",),
    ),
    api(
        "POST /api/enterprise-requests",
        EnterpriseContactOf(otherwise=Contract(ADD)),
        objects=("request.new",),
    ),
    api(
        "POST /api/enterprise-requests/{request_id}/rate",
        EnterpriseContactOf(),
        objects=("request.pending",),
    ),
    api("GET /api/enterprise-rates", LoggedIn(), query="unit=hy-gxq&year=2022"),
    api("GET /api/enterprise-coverage", LoggedIn()),
]

# --- projects II (issue 15)
API += [
    api("GET /api/scheduling-calls", LoggedIn()),
    api("GET /api/scheduling-calls/{call_id}/board", Contract(VIEW), objects=("schedulingcall",)),
    # A row of the zone's call, answered by the unit responsible (its own only).
    api("POST /api/scheduling-calls/{call_id}/answers", Contract(CHANGE), objects=("callrow",)),
    api("GET /api/project-procedures", LoggedIn()),
    api("GET /api/project-funding", LoggedIn()),
    api("GET /api/project-rolling-plans", LoggedIn()),
    api("GET /api/project-stoppages", LoggedIn()),
]


def admin_rows() -> list[Row]:
    """The Django admin's URLs, from its registry: one rule for all of them (staff only)."""
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    rows = [
        Row(f"admin:{name}", Staff())
        for name in ("index", "password_change", "password_change_done", "jsi18n")
    ]
    rows += [
        # The admin's login page answers anyone logged in (it says who may go further).
        Row("admin:login", LoggedIn()),
        # Logging out: the administrator lands on the login page, anyone else is sent there
        # by the platform's own logout after the admin's (nothing to refuse).
        Row(
            "admin:logout",
            Explicit((("admin", LOGIN),), default=ALLOW),
            method="POST",
            fresh_client=True,
        ),
        Row(
            "admin:autocomplete",
            Staff(),
            query="app_label=core&model_name=roleassignment&field_name=unit&term=hy",
        ),
        Row("admin:view_on_site", Staff(), extra={"admin_object": "core.unit"}),
        Row("admin:app_list", Staff(), extra={"path": "/admin/core/"}),
        # An unknown admin address: 404 for staff, the login for everyone else.
        Row(
            "admin/(?P<url>.*)$",
            Explicit((("admin", DENY),), default=LOGIN),
            extra={"path": "/admin/core/no-such-page/"},
        ),
        Row(
            "admin:auth_user_password_change",
            Staff("auth.user", "change"),
            extra={"admin_object": "auth.user"},
        ),
    ]
    for model, model_admin in admin.site._registry.items():
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        label = model._meta.label_lower
        rows += [
            Row(f"{base}_changelist", Staff(label, "view")),
            Row(f"{base}_add", Staff(label, "add")),
        ]
        rows += [
            Row(f"{base}_{view}", Staff(label, permission), extra={"admin_object": label})
            for view, permission in (("history", "view"), ("delete", "delete"), ("change", "view"))
        ]
        if isinstance(model_admin, SimpleHistoryAdmin):
            # One past version of a record (django-simple-history's page).
            rows.append(
                Row(f"{base}_simple_history", Staff(label, "view"), extra={"admin_history": label})
            )
        # The bare "<id>/" address redirects to the change page.
        rows.append(
            Row(
                f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/",
                Staff(label, "view"),
                extra={"admin_object": label},
            )
        )
    return rows


# --- supervision (督查绩效): objects built by tests/authz/conftest.py::_supervision ------------
def _new_report_attachment(report):
    from shouwei.supervision.models import ProgressReportAttachment

    return ProgressReportAttachment(report=report)


def _supervision_rows() -> list[Row]:
    sv = "supervision"
    ISSUE, SIGN, ANSWER, CLOSE, RUN, APPROVE = "issue", "sign", "answer", "close", "run", "approve"
    by_message = {"refusal_by_message": True, "method": "POST"}
    return [
        Row(f"{sv}:board", Contract(VIEW, "supervision.Goal")),
        *crud(sv, "supervision.Goal", ("sv.goal",)),
        *crud(sv, "supervision.TaskBook", ("sv.taskbook",)),
        *crud(sv, "supervision.Milestone", ("sv.milestone",)),
        *crud(sv, "supervision.ProgressReport", ("sv.report",)),
        *crud(sv, "supervision.SupervisionNotice", ("sv.notice",)),
        *crud(sv, "supervision.ExtensionRequest", ("sv.extension",)),
        *crud(sv, "supervision.SafetyIncident", ("sv.incident",)),
        *crud(sv, "supervision.Arrears", ("sv.arrears",)),
        *crud(sv, "supervision.PerformanceScheme", ("sv.scheme",)),
        *crud(sv, "supervision.SchemeItem", ("sv.schemeitem",)),
        *crud(sv, "supervision.ScoreAdjustment", ("sv.adjustment",)),
        *crud(sv, "supervision.ScoreRun", ("sv.run",), edit=False),
        *crud(sv, "supervision.DepartmentScore", ("sv.score",), edit=False),
        Row(f"{sv}:notice_docx", Contract(VIEW), objects=("sv.notice",)),
        Row(f"{sv}:notice_issue", Contract(ISSUE), objects=("sv.notice",), **by_message),
        Row(f"{sv}:notice_sign", Contract(SIGN), objects=("sv.notice",), **by_message),
        Row(
            f"{sv}:notice_answer",
            Contract(ANSWER),
            objects=("sv.notice",),
            data={"answer": "矩阵测试答复"},
            **by_message,
        ),
        Row(f"{sv}:notice_close", Contract(CLOSE), objects=("sv.notice",), **by_message),
        Row(
            f"{sv}:extension_decide",
            Contract(APPROVE),
            objects=("sv.extension",),
            data={"decision": "approve", "note": "同意"},
            **by_message,
        ),
        Row(f"{sv}:scheme_run", Contract(RUN), objects=("sv.scheme",), data={}, **by_message),
        Row(
            f"{sv}:report_attachment_add",
            Both((Contract(VIEW), Contract(ADD, via=_new_report_attachment))),
            method="POST",
            objects=("sv.report",),
            data={},
        ),
        Row(
            f"{sv}:report_attachment",
            Contract(VIEW, via=lambda att: att.report),
            objects=("sv.reportattachment",),
        ),
        api("GET /api/supervision/goals", LoggedIn()),
        api("GET /api/supervision/milestones/{pk}", Contract(VIEW), objects=("sv.milestone",)),
        api("POST /api/supervision/progress-reports", Contract(ADD), objects=("sv.report.new",)),
        api("GET /api/supervision/notices", LoggedIn()),
        api("POST /api/supervision/notices/{pk}/sign", Contract(SIGN), objects=("sv.notice",)),
        api(
            "POST /api/supervision/notices/{pk}/answer",
            Contract(ANSWER),
            objects=("sv.notice",),
            data={"answer": "矩阵测试答复"},
        ),
        api("GET /api/supervision/scores", LoggedIn(), query="year=2022"),
    ]


SUPERVISION: list[Row] = _supervision_rows()


# --- security and reliability (issue 16)
@dataclass(frozen=True)
class Auditor(Rule):
    """The security log's readers: superusers and system administrators."""

    def outcome(self, user, obj) -> str:
        from shouwei.core.views import is_auditor

        return ALLOW if is_auditor(user) else DENY


@dataclass(frozen=True)
class SessionOwner(Rule):
    """A login session is its person's alone to end (others get a 404)."""

    def outcome(self, user, obj) -> str:
        return ALLOW if obj.instance.user_id == user.pk else DENY


SECURITY: list[Row] = [
    Row("core:security_log", Auditor()),
    # One's own sessions, and the re-authentication asked before admin work and exports:
    # everyone logged in (a POST with no password reaches the form: 400).
    Row("session_list", LoggedIn()),
    Row("session_end", SessionOwner(), method="POST", objects=("usersession",)),
    Row("reauthenticate", LoggedIn()),
    Row("reauthenticate", LoggedIn(), method="POST", data={}),
    # One's own password: everyone logged in (a POST with no fields reaches the form: 400).
    Row("password_change", LoggedIn()),
    Row("password_change", LoggedIn(), method="POST", data={}),
    # One's own second factor: everyone logged in (a POST with no code reaches the form: 400).
    Row("two_factor_setup", LoggedIn()),
    Row("two_factor_setup", LoggedIn(), method="POST", data={}),
    # The login's second step answers only a session whose password was just right: with none
    # pending, everyone is sent back to the login.
    Row("two_factor_verify", Always(LOGIN)),
    Row("two_factor_verify", Always(LOGIN), method="POST", data={"code": "123456"}),
]


def all_rows() -> list[Row]:
    return [*PLATFORM, *ENTERPRISES, *SUPERVISION, *SECURITY, *PORTAL_SITE, *API, *admin_rows()]
