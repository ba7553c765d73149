"""The world the authorisation matrix runs in: the demo, two more clerks, and for every kind of
object a URL can take one record of 产业发展局 (hy-gxq-cyfz) and one of another unit.

Built once per module inside a transaction that is rolled back when the module ends (each
test's own transaction nests in it as a savepoint), with one logged-in client per principal:
building it per test would cost more than the matrix itself.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings

from tests.authz.matrix import PRINCIPALS


@dataclass
class Obj:
    """One record a URL can name: ``instance`` (saved, or unsaved for a record a POST would
    create), the URL's parameters, and the body a POST sends."""

    instance: Any
    params: dict[str, Any]
    data: dict[str, Any] | None = None
    key: str = ""  # which one of its kind (cyfz, jjhz, draft, …), set by build_world


@dataclass
class World:
    users: dict[str, Any]
    clients: dict[str, Client]
    api_clients: dict[str, Client]
    objects: dict[str, dict[str, Obj]] = field(default_factory=dict)


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(out, format="PNG")
    return out.getvalue()


def new_client(user, **kwargs) -> Client:
    """A client that answers a view's exception as the 500 it would be, so that one failing
    cell is reported with the rest instead of ending the row."""
    client = Client(raise_request_exception=False, **kwargs)
    if user is not None:
        client.force_login(user)
    return client


def _principals():
    from django.contrib.auth import get_user_model

    from shouwei.core.choices import Role
    from shouwei.core.models import Unit
    from tests.factories import user_with_role

    users = {u.username: u for u in get_user_model().objects.all()}
    # A clerk of a second department and one of a peer district outside the zone.
    users["staff_kjcx"] = user_with_role(
        Role.STAFF, Unit.objects.get(code="hy-gxq-kjcx"), username="staff_kjcx"
    )
    users["staff_smjk"] = user_with_role(
        Role.STAFF, Unit.objects.get(code="hy-smjk"), username="staff_smjk"
    )
    return {name: users[name] for name in PRINCIPALS if name != "anonymous"}


def _clients(users):
    from shouwei.core.models import ApiToken

    clients = {"anonymous": new_client(None)}
    api_clients = {"anonymous": new_client(None)}
    for name, user in users.items():
        clients[name] = new_client(user)
        _token, key = ApiToken.issue(user=user, name="authz matrix")
        api_clients[name] = new_client(None, headers={"authorization": f"Bearer {key}"})
    return clients, api_clients


def _observations(users, units):
    from shouwei.indicators.choices import ObservationStatus
    from shouwei.indicators.models import Indicator, Observation
    from tests.factories import IndicatorFactory

    indicators = {
        "cyfz": Indicator.objects.get(code="industrial_va"),
        # The demo's 经济合作局 owns no indicator (its figures come from leads).
        "jjhz": IndicatorFactory(
            code="jjhz-signed", name="签约项目数", measure="个", owner_unit=units["hy-gxq-jjhz"]
        ),
        "smjk": Indicator.objects.get(code="gdp"),
    }
    # Where each figure sits: the zone's, reported by the owning department; the peer park's
    # own, reported by itself.
    places = {
        "cyfz": (units["hy-gxq"], units["hy-gxq-cyfz"], users["staff_cyfz"]),
        "jjhz": (units["hy-gxq"], units["hy-gxq-jjhz"], users["staff_jjhz"]),
        "smjk": (units["hy-smjk"], units["hy-smjk"], users["staff_smjk"]),
    }
    out: dict[str, dict[str, Obj]] = {}
    for status, period in (
        (ObservationStatus.DRAFT, "2019-10"),
        (ObservationStatus.SUBMITTED, "2019-11"),
        (ObservationStatus.APPROVED, "2019-12"),
    ):
        kind = f"observation.{status}"
        out[kind] = {}
        for key, (unit, reporting, clerk) in places.items():
            obs = Observation.objects.create(
                unit=unit,
                reporting_unit=reporting,
                indicator=indicators[key],
                period=period,
                value=Decimal("10"),
                status=status,
                entered_by=clerk,
            )
            out[kind][key] = Obj(obs, {"pk": obs.pk, "observation_id": obs.pk})
    # A figure a POST would file: the reporting unit left blank means the indicator's owner.
    out["observation.new"] = {}
    for key, (unit, reporting, _clerk) in places.items():
        new = Observation(
            unit=unit, reporting_unit=reporting, indicator=indicators[key], period="2019-09"
        )
        out["observation.new"][key] = Obj(
            new,
            {},
            {
                "unit": unit.code,
                "indicator": indicators[key].code,
                "period": "2019-09",
                "value": "10",
            },
        )
    out["indicator"] = {
        key: Obj(ind, {"pk": ind.pk, "code": ind.code})
        for key, ind in (("cyfz", indicators["cyfz"]), ("jjhz", indicators["jjhz"]))
    }
    return out


def _projects(users, units):
    from shouwei.projects import services
    from shouwei.projects.models import AnnualPlan, Problem, ProgressReport, Project

    out: dict[str, dict[str, Obj]] = {
        k: {} for k in ("project", "annualplan", "progressreport", "problem", "photo", "progress")
    }
    out["progress.new"] = {}
    for key in ("cyfz", "jjhz"):
        unit = units[f"hy-gxq-{key}"]
        project = Project.objects.filter(responsible_unit=unit).order_by("code").first()
        out["project"][key] = Obj(project, {"pk": project.pk, "code": project.code})
        plan = AnnualPlan.objects.filter(project=project).first()
        out["annualplan"][key] = Obj(plan, {"pk": plan.pk})
        report = ProgressReport.objects.filter(project=project).order_by("-period").first()
        out["progressreport"][key] = Obj(report, {"pk": report.pk, "report_id": report.pk})
        problem = Problem.objects.filter(project__responsible_unit=unit, owner_unit=unit).first()
        out["problem"][key] = Obj(problem, {"pk": problem.pk})
        photo = services.photo_add(
            by=users[f"staff_{key}"], report=report, name="site.png", data=png()
        )
        out["photo"][key] = Obj(photo, {"pk": photo.pk})
        # The month after the last report, continuing it (a valid save for its department).
        out["progress.new"][key] = Obj(
            ProgressReport(project=project, period="2022-07"),
            {},
            {
                "project": project.code,
                "period": "2022-07",
                "invested_this_month": "0.1",
                "invested_ytd": str(report.invested_ytd + Decimal("0.1")),
                "stage": report.stage,
            },
        )
    del out["progress"]
    # A problem of 产业发展局's project handed to 经济合作局: both departments work it
    # (the contract's alternative placements), only the project's may delete it.
    handed = Problem.objects.create(
        project=out["project"]["cyfz"].instance,
        description="矩阵测试：移交经济合作局协调",
        owner_unit=units["hy-gxq-jjhz"],
        deadline=date(2022, 9, 30),
    )
    out["problem"]["handed"] = Obj(handed, {"pk": handed.pk})
    return out


def _investment(units):
    """One record of each investment model kept by 经济合作局 (the demo's) and one placed at
    产业发展局 (another department of the zone)."""
    from shouwei.investment import models as m

    jjhz, cyfz = units["hy-gxq-jjhz"], units["hy-gxq-cyfz"]
    out: dict[str, dict[str, Obj]] = {}

    def put(kind, key, instance):
        out.setdefault(kind, {})[key] = Obj(instance, {"pk": instance.pk})

    chain = m.IndustryChain.objects.create(name="矩阵测试链", owner_unit=cyfz)
    link = m.ChainLink.objects.create(chain=chain, name="矩阵环节")
    other = {
        "event": m.Event.objects.create(
            name="矩阵测试活动", held_on=date(2022, 5, 1), place="衡阳", owner_unit=cyfz
        ),
        "office": m.Office.objects.create(
            name="矩阵测试办事处", city="广州", established_on=date(2022, 1, 1), owner_unit=cyfz
        ),
        "agency": m.Agency.objects.create(name="矩阵测试机构", owner_unit=cyfz),
        "industrychain": chain,
        "chainlink": link,
        "fortunelistentry": m.FortuneListEntry.objects.create(
            year=2021, list_class="china", company="矩阵测试企业", owner_unit=cyfz
        ),
        "admissionthreshold": m.AdmissionThreshold.objects.create(
            year=2022, min_intensity=300, min_tax_per_mu=15, max_energy=5000, owner_unit=cyfz
        ),
    }
    lead = m.Lead.objects.create(
        project_name="矩阵测试线索",
        investor="矩阵测试投资方",
        channel="business",
        industry="C39",
        planned_investment=1000,
        lead_on=date(2022, 1, 1),
        owner_unit=cyfz,
    )
    other["lead"] = lead
    other["contract"] = m.Contract.objects.create(
        lead=m.Lead.objects.create(
            project_name="矩阵测试签约",
            investor="矩阵测试投资方",
            channel="business",
            industry="C39",
            planned_investment=1000,
            lead_on=date(2022, 1, 1),
            stage="signed",
            signed_on=date(2022, 2, 1),
            owner_unit=cyfz,
        ),
        signed_amount=1000,
        signed_on=date(2022, 2, 1),
    )
    other["admissionreview"] = m.AdmissionReview.objects.create(
        lead=lead, reviewed_on=date(2022, 2, 1), energy_use=10, decision="passed", members="甲"
    )
    own = {
        "event": m.Event.objects.filter(owner_unit=jjhz).first(),
        "office": m.Office.objects.filter(owner_unit=jjhz).first(),
        "agency": m.Agency.objects.filter(owner_unit=jjhz).first(),
        "industrychain": m.IndustryChain.objects.filter(owner_unit=jjhz).first(),
        "chainlink": m.ChainLink.objects.filter(chain__owner_unit=jjhz).first(),
        "fortunelistentry": m.FortuneListEntry.objects.filter(owner_unit=jjhz).first(),
        "admissionthreshold": m.AdmissionThreshold.objects.filter(owner_unit=jjhz).first(),
        # An open lead (a signed one cannot be deleted: its contract protects it).
        "lead": m.Lead.objects.filter(owner_unit=jjhz, contract_record__isnull=True).first(),
        "contract": m.Contract.objects.filter(lead__owner_unit=jjhz).first(),
        "admissionreview": m.AdmissionReview.objects.filter(lead__owner_unit=jjhz).first(),
    }
    for kind in own:
        put(kind, "jjhz", own[kind])
        put(kind, "cyfz", other[kind])
    # A lead each department would file through the API, with its body.
    out["lead.new"] = {}
    for key, unit in (("jjhz", jjhz), ("cyfz", cyfz)):
        body = {
            "project_name": f"矩阵测试新线索{key}",
            "investor": f"矩阵测试新投资方{key}",
            "channel": "business",
            "industry": "C39",
            "planned_investment": "1000",
            "owner_unit": unit.code,
            "lead_on": "2022-07-01",
        }
        out["lead.new"][key] = Obj(m.Lead(owner_unit=unit), {}, body)
    return out


def _batches(users):
    from shouwei.imports import services
    from shouwei.imports.registry import get_importer, registered_importers
    from tests.imports.helpers import row, xlsx_bytes

    importer = get_importer("observations")
    out: dict[str, dict[str, Obj]] = {"batch.valid": {}, "batch.committed": {}}
    for key, indicator in (("cyfz", "industrial_va"), ("jjhz", "jjhz-signed")):
        user = users[f"staff_{key}"]
        for kind, period in (("batch.valid", "2019-07"), ("batch.committed", "2019-08")):
            batch = services.batch_upload(
                importer=importer,
                content=xlsx_bytes([row(indicator=indicator, period=period)]),
                filename=f"{key}-{period}.xlsx",
                user=user,
                inline=True,
            )
            assert batch.status == "valid", (key, batch.status, batch.errors)
            if kind == "batch.committed":
                batch = services.batch_commit(batch=batch, user=user, inline=True)
                assert batch.status == "committed", (key, batch.message)
            out[kind][key] = Obj(batch, {"pk": batch.pk})
    out["importer"] = {
        key: Obj(get_importer(key), {"importer": key}) for key in sorted(registered_importers())
    }
    return out


def _reports(users):
    from shouwei.reports.services import request_report

    report = request_report(
        kind="brief", unit="hy-gxq", period="2022H1", by=users["admin"], inline=True
    )
    assert report.status == "built", report.error
    return {"report": {"zone": Obj(report, {"pk": report.pk, "fmt": "html"})}}


def _evaluation_runs(units):
    from shouwei.evaluation_web.models import EvaluationRun

    zone_run = EvaluationRun.objects.get(unit=units["hy-gxq"])
    out = {"zone": Obj(zone_run, {"pk": zone_run.pk})}
    for key in ("cyfz", "jjhz"):
        run = EvaluationRun.objects.get(pk=zone_run.pk)
        run.pk = None
        run.unit = units[f"hy-gxq-{key}"]
        run.save()
        out[key] = Obj(run, {"pk": run.pk})
    return {"evaluationrun": out}


def _articles(users):
    from shouwei.portal import services
    from shouwei.portal.choices import ArticleStatus
    from shouwei.portal.models import Article, Channel

    editor = users["editor"]
    channel = Channel.objects.get(slug="bmdt")

    def draft(title):
        return services.save_article(
            by=editor, channel=channel, title=title, body="<p>矩阵测试正文。</p>"
        )

    drafted = draft("矩阵：草稿")
    in_review = services.submit_for_review(by=editor, article=draft("矩阵：待审"))
    published = Article.objects.filter(status=ArticleStatus.PUBLISHED).first()
    draft_file = services.add_attachment(
        by=editor, article=drafted, name="figure.png", data=png(), image=True
    )
    out = {
        "article.draft": {"-": Obj(drafted, {"pk": drafted.pk})},
        "article.in_review": {"-": Obj(in_review, {"pk": in_review.pk})},
        "article.published": {"-": Obj(published, {"pk": published.pk})},
        "version": {
            "draft": Obj(drafted, {"pk": drafted.pk, "number": drafted.versions.first().number}),
        },
        "attachment": {"draft": Obj(draft_file, {"pk": draft_file.pk})},
        "channel": {"bmdt": Obj(channel, {"slug": channel.slug})},
    }
    # The portal's public article and attachment: one published, one that is not.
    out["portal.article"] = {
        "published": out["article.published"]["-"],
        "draft": out["article.draft"]["-"],
    }
    return out


def _reference(units):
    from shouwei.core.models import PeerGroup

    groups = {g.code: g for g in PeerGroup.objects.all()}
    return {
        "unit": {
            key: Obj(
                units[f"hy-gxq-{key}"], {"pk": units[f"hy-gxq-{key}"].pk, "code": f"hy-gxq-{key}"}
            )
            for key in ("cyfz", "jjhz")
        },
        "peergroup": {
            code: Obj(g, {"pk": g.pk, "code": g.code}) for code, g in sorted(groups.items())
        },
    }


def _notifications(users):
    from shouwei.core.models import Notification

    out = {}
    for key in ("cyfz", "jjhz"):
        note = Notification.objects.create(recipient=users[f"staff_{key}"], title="矩阵测试")
        out[key] = Obj(note, {"pk": note.pk})
    return {"notification": out}


def _sessions(users):
    """A login session of each of two clerks (not the matrix's own clients' sessions)."""
    from django.utils import timezone

    from shouwei.core.models import UserSession

    out = {}
    for key in ("cyfz", "jjhz"):
        now = timezone.now()
        row = UserSession.objects.create(
            user=users[f"staff_{key}"],
            session_key=f"authz-matrix-{key}",
            started_at=now,
            last_seen_at=now,
        )
        out[key] = Obj(row, {"pk": row.pk})
    return {"usersession": out}


def _targets():
    from shouwei.indicators.models import Target

    out = {}
    for key in ("cyfz", "kjcx"):
        target = Target.objects.filter(responsible_unit__code=f"hy-gxq-{key}").first()
        out[key] = Obj(target, {"pk": target.pk})
    return {"target": out}


def _enterprises(users, units):
    """Enterprise service: the demo contact's enterprise (served by 产业发展局) and one served by
    经济合作局, each with a pending request, an attachment, an assignment and a visit."""
    from django.core.files.base import ContentFile

    from shouwei.enterprises.models import (
        EnterpriseContact,
        LiaisonAssignment,
        Request,
        RequestAttachment,
        Visit,
    )
    from tests.factories import EnterpriseFactory

    enterprises = {
        "cyfz": EnterpriseContact.objects.get(username="enterprise").enterprise,
        "jjhz": EnterpriseFactory(
            name="经合局服务的企业", liaison_unit=units["hy-gxq-jjhz"], street=units["hy-gxq-tms"]
        ),
    }
    out: dict[str, dict[str, Obj]] = {
        k: {} for k in ("enterprise", "request.pending", "requestattachment", "liaisonassignment")
    }
    out["visit"] = {}
    out["enterprisecontact"] = {
        "cyfz": Obj(EnterpriseContact.objects.get(username="enterprise"), {}),
        "jjhz": Obj(
            EnterpriseContact.objects.create(enterprise=enterprises["jjhz"], username="nobody-yet"),
            {},
        ),
    }
    for contact in out["enterprisecontact"].values():
        contact.params = {"pk": contact.instance.pk}
    for key, enterprise in enterprises.items():
        out["enterprise"][key] = Obj(enterprise, {"pk": enterprise.pk, "uscc": enterprise.uscc})
        req = Request.objects.create(
            enterprise=enterprise,
            category="policy",
            description=f"矩阵测试诉求 {key}",
            channel="phone",
            filed_on=date(2022, 7, 1),
        )
        out.setdefault("request.new", {})[key] = Obj(
            Request(enterprise=enterprise, category="policy", channel="phone"),
            {},
            data={"enterprise": enterprise.uscc, "category": "policy", "description": "矩阵"},
        )
        out["request.pending"][key] = Obj(
            req,
            {"pk": req.pk, "request_id": req.pk},
            data={"department": units["hy-gxq-jjhz"].pk, "satisfaction": 5},
        )
        att = RequestAttachment(
            request=req,
            original_name="a.pdf",
            content_type="application/pdf",
            size=8,
            sha256="0" * 64,
        )
        att.file.save(f"matrix-{key}.pdf", ContentFile(b"%PDF-1.4"), save=False)
        att.save()
        out["requestattachment"][key] = Obj(att, {"pk": att.pk})
        assignment = LiaisonAssignment.objects.create(
            cadre=users["liaison"],
            unit=units[f"hy-gxq-{key}"],
            enterprise=enterprise,
            starts_on=date(2030, 1, 1),
        )
        out["liaisonassignment"][key] = Obj(assignment, {"pk": assignment.pk})
        visit = Visit.objects.create(
            enterprise=enterprise,
            cadre=users["liaison"],
            visited_on=date(2022, 7, 1),
            kind="onsite",
            findings="矩阵测试走访",
        )
        out["visit"][key] = Obj(visit, {"pk": visit.pk})
    return out


def _supervision(users, units):
    """督查绩效: the demo's records of 产业发展局 (cyfz) and 经济合作局 (jjhz), and a few more in
    the states the actions need (a draft notice, pending extensions, a computed run)."""
    from django.core.files.base import ContentFile

    from shouwei.supervision import services
    from shouwei.supervision.models import (
        Arrears,
        DepartmentScore,
        ExtensionRequest,
        Goal,
        Milestone,
        PerformanceScheme,
        ProgressReport,
        ProgressReportAttachment,
        SafetyIncident,
        SchemeItem,
        ScoreAdjustment,
        SupervisionNotice,
        TaskBook,
    )

    def obj(instance):
        return Obj(instance, {"pk": instance.pk})

    cyfz, jjhz = units["hy-gxq-cyfz"], units["hy-gxq-jjhz"]
    goal = Goal.objects.filter(year=2022).order_by("code").first()
    scheme = PerformanceScheme.objects.get(year=2022)
    out = {
        "sv.goal": {"zone": obj(goal)},
        "sv.scheme": {"zone": obj(scheme)},
        "sv.schemeitem": {"zone": obj(SchemeItem.objects.filter(scheme=scheme).first())},
    }
    out["sv.taskbook"] = {
        k: obj(TaskBook.objects.filter(lead_unit=u).first())
        for k, u in (("cyfz", cyfz), ("jjhz", jjhz))
    }
    milestones = {
        k: Milestone.objects.filter(lead_unit=u, completed_on__isnull=True).order_by("due").first()
        for k, u in (("cyfz", cyfz), ("jjhz", jjhz))
    }
    out["sv.milestone"] = {k: obj(m) for k, m in milestones.items()}
    out["sv.report"] = {
        k: obj(
            ProgressReport.objects.create(
                milestone=m,
                unit=m.lead_unit,
                reported_on=date(2022, 7, 29),
                text="矩阵测试",
                percent=10,
            )
        )
        for k, m in milestones.items()
    }
    out["sv.reportattachment"] = {}
    for k, report in out["sv.report"].items():
        att = ProgressReportAttachment(
            report=report.instance,
            original_name=f"matrix-{k}.pdf",
            content_type="application/pdf",
            size=8,
            sha256="0" * 64,
        )
        att.file.save(f"matrix-sv-{k}.pdf", ContentFile(b"%PDF-1.4"), save=False)
        att.save()
        out["sv.reportattachment"][k] = obj(att)
    out["sv.report.new"] = {
        k: Obj(
            ProgressReport(milestone=m, unit=m.lead_unit),
            {},
            {
                "milestone": m.pk,
                "unit": m.lead_unit.code,
                "reported_on": "2022-07-29",
                "text": "矩阵测试",
                "percent": 20,
                "backdate_reason": "矩阵测试补报",
            },
        )
        for k, m in milestones.items()
    }
    draft = SupervisionNotice.objects.create(
        unit=cyfz,
        issuer="矩阵测试",
        task="矩阵测试",
        reason="矩阵测试",
        deadline=date(2099, 12, 31),
    )
    out["sv.notice"] = {
        "cyfz": obj(SupervisionNotice.objects.get(unit=cyfz, status="signed")),
        "jjhz": obj(SupervisionNotice.objects.get(unit=jjhz, status="issued")),
        "draft": obj(draft),
    }
    out["sv.extension"] = {
        k: obj(
            ExtensionRequest.objects.create(
                milestone=m,
                new_due=date(2022, 12, 30),
                reason="矩阵测试",
                requested_on=date(2022, 7, 29),
            )
        )
        for k, m in milestones.items()
        if not m.extension_requests.filter(status="pending").exists()
    }
    out["sv.incident"] = {
        "cyfz": obj(
            SafetyIncident.objects.create(
                unit=cyfz,
                occurred_on=date(2022, 3, 1),
                level="general",
                place="矩阵测试",
                description="x",
            )
        ),
        "hx": obj(SafetyIncident.objects.get(unit__code="hy-gxq-hx")),
    }
    out["sv.arrears"] = {
        "czj": obj(Arrears.objects.filter(owner_unit__code="hy-gxq-czj").first()),
        "cyfz": obj(
            Arrears.objects.create(
                debtor="矩阵测试",
                amount_due=1,
                deadline=date(2022, 12, 31),
                owner_unit=cyfz,
                owner="x",
            )
        ),
    }
    bonus = SchemeItem.objects.get(scheme=scheme, kind="bonus")
    out["sv.adjustment"] = {
        "cyfz": obj(
            ScoreAdjustment.objects.create(item=bonus, unit=cyfz, points=1, reason="矩阵测试")
        )
    }
    run = services.scheme_run(by=users["supervisor"], scheme=scheme, as_of=date(2022, 7, 29))
    out["sv.run"] = {"zone": obj(run)}
    out["sv.score"] = {
        k: obj(DepartmentScore.objects.get(run=run, unit=u))
        for k, u in (("cyfz", cyfz), ("jjhz", jjhz))
    }
    return out


def _projects_ii(users, units):
    """Issue 15: a call the zone issued (by 产业发展局, over every department's projects) and
    one 经济合作局 issued over its own; a procedure of each department's project."""
    from shouwei.projects import services
    from shouwei.projects.models import (
        CallRow,
        FundingSource,
        Procedure,
        ProgressReport,
        Project,
        RollingPlan,
        Stoppage,
    )

    calls, entries = {}, {}
    for key, unit, by in (
        ("zone", units["hy-gxq"], users["staff_cyfz"]),
        ("jjhz", units["hy-gxq-jjhz"], users["staff_jjhz"]),
    ):
        call = services.call_issue(
            by=by,
            issuing_unit=unit,
            period_kind="week",
            period="2022-W30",
            deadline=date(2022, 7, 29),
        )
        calls[key] = Obj(
            call, {"pk": call.pk, "call_id": call.pk, "unit_pk": units["hy-gxq-jjhz"].pk}
        )
        entries[key] = Obj(call, {"path": f"/projects/progress/entry/?call={call.pk}"})
    procedures, funding, plans, stoppages, rows = {}, {}, {}, {}, {}
    zone_call = calls["zone"].instance
    for key in ("cyfz", "jjhz"):
        project = Project.objects.filter(responsible_unit__code=f"hy-gxq-{key}").first()
        last = ProgressReport.objects.filter(project=project).order_by("-period").first()
        row = CallRow.objects.get(call=zone_call, project=project)
        rows[key] = Obj(
            row,
            {"call_id": zone_call.pk},
            {
                "project": project.code,
                "invested_this_month": "0.1",
                "invested_ytd": str(last.invested_ytd + Decimal("0.1")),
                "stage": last.stage,
            },
        )
        item = Procedure.objects.create(project=project, kind="custom", name="矩阵测试")
        procedures[key] = Obj(item, {"pk": item.pk})
        source = FundingSource.objects.create(
            project=project, year=2023, kind="bond", amount=Decimal("1"), issued_amount=Decimal("1")
        )
        funding[key] = Obj(source, {"pk": source.pk})
        rolling = RollingPlan.objects.create(
            project=project,
            base_year=2023,
            year1=Decimal("1"),
            year2=Decimal("1"),
            year3=Decimal("1"),
        )
        plans[key] = Obj(rolling, {"pk": rolling.pk})
        stoppage = Stoppage.objects.create(
            project=project, stopped_on=date(2022, 7, 1), reason="矩阵测试"
        )
        stoppages[key] = Obj(stoppage, {"pk": stoppage.pk})
    return {
        "schedulingcall": calls,
        "callentry": entries,
        "procedure": procedures,
        "fundingsource": funding,
        "rollingplan": plans,
        "stoppage": stoppages,
        "callrow": rows,
    }


def build_world() -> World:
    from shouwei.core.models import Unit

    users = _principals()
    units = {u.code: u for u in Unit.objects.all()}
    clients, api_clients = _clients(users)
    world = World(users=users, clients=clients, api_clients=api_clients)
    for part in (
        _observations(users, units),
        _projects(users, units),
        _investment(units),
        _batches(users),
        _evaluation_runs(units),
        _reports(users),
        _articles(users),
        _reference(units),
        _notifications(users),
        _sessions(users),
        _targets(),
        _enterprises(users, units),
        _supervision(users, units),
        _projects_ii(users, units),
    ):
        world.objects.update(part)
    for objs in world.objects.values():
        for key, obj in objs.items():
            obj.key = key
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("authz-media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media,
            SHOUWEI_IMPORT_INLINE_ROWS=1_000_000,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            # The clients log in once, when the world is built; their login is the proof the
            # admin and exports ask for (core.reauth), and it must outlast the matrix's run.
            # Re-authentication itself: tests/security/test_reauth.py.
            SHOUWEI_REAUTH_MINUTES=24 * 60,
        ),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)
