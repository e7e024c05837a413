"""``flask --app complaints.app demo seed``: what a county's first weeks of complaints might look like.

Complaints go through the same filing, routing and lifecycle as real ones.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta

import click
from flask.cli import AppGroup
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from complaints.accounts import create_user, generate_password, name_unit_contact
from complaints.cases.clues import (
    ClueAction,
    ClueRelation,
    NewClue,
    accused_unit_ids,
    perform_clue,
    record_clue,
)
from complaints.cases.operations import ActionRequest, perform
from complaints.cases.rules import Relation
from complaints.cases.tools import CaseTools
from complaints.cases.units import sync_units
from complaints.cli.context import components
from complaints.core.clock import frozen_at, local_today, now_utc, to_local
from complaints.core.messages import t
from complaints.core.vocabulary import (
    CaseStatus,
    Channel,
    ClueSource,
    CommissionDisposition,
    EventKind,
    HouseholdType,
    HouseStructure,
    Outcome,
    Role,
    UnitKind,
)
from complaints.db.models import Household, Unit, User
from complaints.households import HEADERS, id_check_character, import_roster
from complaints.households.helpers import assign_helper
from complaints.households.visits import plan_visits
from complaints.intake.api_keys import issue_key
from complaints.intake.filing import NewComplaint, file_complaint

# How far each demo case has come. (What became of a case's clue is DEMO_CLUE_STEPS.)
DEMO_STEPS: dict[CaseStatus, tuple[ActionRequest, ...]] = {
    CaseStatus.RECEIVED: (),
    CaseStatus.ACCEPTED: (ActionRequest(EventKind.ACCEPT),),
    CaseStatus.ASSIGNED: (ActionRequest(EventKind.ACCEPT), ActionRequest(EventKind.ASSIGN)),
    CaseStatus.IN_PROGRESS: (
        ActionRequest(EventKind.ACCEPT), ActionRequest(EventKind.ASSIGN), ActionRequest(EventKind.START),
    ),
    CaseStatus.RESOLVED: (
        ActionRequest(EventKind.ACCEPT), ActionRequest(EventKind.ASSIGN), ActionRequest(EventKind.START),
        ActionRequest(EventKind.RESOLVE, outcome=Outcome.RECTIFIED, reason="已完成加固，演示数据"),
    ),
}

LEAD_ACTS, COMMISSION_ACTS = frozenset({ClueRelation.LEAD}), frozenset({ClueRelation.COMMISSION})
# What became of the clue of the demo case received that many days ago (the one with a clue
# among that day's): one clue in each
# state the commission works with. (The 3-day-old pending one is still within its deadline;
# the 12-day-old one is overdue and `deadlines run` escalates it.)
DEMO_CLUE_STEPS: dict[int, tuple[tuple[frozenset[ClueRelation], ClueAction], ...]] = {
    11: ((LEAD_ACTS, ClueAction(EventKind.TRANSFER_CLUE, reason="涉嫌优亲厚友，移送县纪委监委")),
         (COMMISSION_ACTS, ClueAction(EventKind.CLUE_SIGNED)),
         (COMMISSION_ACTS, ClueAction(
             EventKind.CLUE_DISPOSED, reason="经初步核实，村干部亲戚不符合危改条件，已责令退回补助",
             disposition=CommissionDisposition.PRELIMINARY_CHECK))),
    20: ((LEAD_ACTS, ClueAction(EventKind.DECLINE_CLUE,
                                reason="反映的是上门不及时，属工作作风问题，已督促乡镇整改")),),
    27: ((LEAD_ACTS, ClueAction(EventKind.TRANSFER_CLUE, reason="反映社区干部优亲厚友")),
         (COMMISSION_ACTS, ClueAction(EventKind.CLUE_RETURNED, unit="civil-affairs",
                                      reason="属低保认定问题，退回县民政局核查"))),
    2: ((COMMISSION_ACTS, ClueAction(EventKind.CLUE_SIGNED)),),
    16: ((LEAD_ACTS, ClueAction(EventKind.CLUE_NOT_A_CLUE,
                                reason="房屋登记在父亲名下是产权情况，不涉及干部问题")),),
}
# Clues that came with no case: found by a unit in its work, and a letter the operator took.
DEMO_UNIT_CLUES = (
    ("liaison-poverty", NewClue(
        source=ClueSource.FOUND_BY_UNIT, accused_unit="lieyu", accused_post="村委会主任",
        allegation="核查危改对象时发现，礁美村村委会主任将不符合条件的亲属列入2026年危房改造名单。")),
    ("operator", NewClue(
        source=ClueSource.LETTER, accused_unit="mapu", real_name=True,
        allegation="来信反映：马铺乡某村干部在危改补助发放时要求农户请客送礼。")),
)

DEMO_ACCOUNTS = (
    # username, role, unit (a slug of the shipped table's demo units, or the kind of the one
    # unit the table has of that kind), display name
    ("lead", Role.LEAD, UnitKind.LEAD, "县住建局 派单员"),
    ("operator", Role.OPERATOR, None, "热线 接线员"),
    ("commission", Role.COMMISSION, UnitKind.COMMISSION, "县纪委监委 查阅"),
    ("admin", Role.ADMIN, None, "系统管理员"),
    ("liaison-huotian", Role.LIAISON, "huotian", "火田镇 联络员"),
    ("liaison-yunling", Role.LIAISON, "yunling", "云陵镇 联络员"),
    ("liaison-poverty", Role.LIAISON, "poverty-office", "县扶贫办 联络员"),
    ("liaison-market", Role.LIAISON, "market", "县市场监管局 联络员"),
    ("helper-huotian", Role.HELPER, "huotian", "火田镇 帮扶责任人 林建国"),
)

S, H = HouseStructure, HouseholdType
# days ago, channel, township, village, category (as the form or operator gave it; SMS
# has none and is routed from its text), structure, household, misconduct,
# reporter name, reporter phone, description, status
DEMO_COMPLAINTS = (
    (1, Channel.WEB, "huotian", "菜埔村", "dangerous-house", S.EARTH,
     H.REGISTERED_POOR, False, "林秀英", "13805961234",
     "我家是土坯房，后墙裂了一条大缝，能伸进手指，下雨天往里渗水，晚上睡觉都怕塌下来。", CaseStatus.RECEIVED),
    (2, Channel.SMS, "xiahe", "下寨村", "disaster-damage",
     S.EARTH_WOOD, H.MINIMUM_ALLOWANCE, False, None, "13959612345",
     "台风过后老人住的土木房屋顶瓦片掉了一半，木梁也歪了，请派人来看看。", CaseStatus.ASSIGNED),
    (3, Channel.HOTLINE, "mapu", "客寮村", "still-living-in-danger",
     S.BRICK_WOOD, H.REGISTERED_POOR, False, "张阿伯", "0596-8123456",
     "村里张家新房早就盖好了，可老两口还住在旁边的旧砖木房里，房子已经鉴定为危房。", CaseStatus.IN_PROGRESS),
    (3, Channel.WEB, "yunling", "下楼村", "attached-house", S.BRICK_WOOD,
     H.DISABLED_POOR, False, None, None,
     "我家和隔壁是联体房，隔壁不是贫困户，不同意一起加固，我家这边墙一直在裂。", CaseStatus.ASSIGNED),
    (4, Channel.SMS, "chendai", "竹塔村", "leaks-drafts", S.BRICK_CONCRETE,
     H.OTHER_POOR, False, None, "18650612345",
     "房子说是安全的，但是屋顶一下雨就漏，冬天窗户透风，老人受不了。", CaseStatus.RECEIVED),
    (5, Channel.HOTLINE, "dongxia", "白塔村", "renovation-procedure",
     S.BRICK_CONCRETE, H.REGISTERED_POOR, False, "陈女士", "13906961111",
     "去年危房改造完工，但验收表一直没人签字，农户档案里也找不到我家的材料。", CaseStatus.IN_PROGRESS),
    (6, Channel.WEB, "pumei", "阳霞村", "appraisal-overdue",
     S.EARTH, H.REGISTERED_POOR, False, None, None,
     "我家今年新纳入建档立卡，名单报上去快两个月了，还没有人来做房屋鉴定。", CaseStatus.ASSIGNED),
    (7, Channel.API, "lieyu", "礁美村", "household-data",
     S.UNKNOWN, H.UNKNOWN, False, None, None,
     "扶贫系统里显示我家住房安全已保障，住建系统里却没有我家的记录，两边数据对不上。", CaseStatus.RECEIVED),
    (8, Channel.WEB, "heping", "和平村", "safety-plate", S.BRICK_WOOD,
     H.DISPERSED_EXTREMELY_POOR, False, None, None,
     "村里好几户贫困户的房屋安全状况牌一直没有挂上墙。", CaseStatus.RECEIVED),
    (9, Channel.SMS, "huotian", "西林村", "construction-quality",
     S.BRICK_CONCRETE, H.REGISTERED_POOR, False, None, "15080612345",
     "危改施工队偷工减料，新砌的墙没有圈梁，砂浆一抠就掉。", CaseStatus.IN_PROGRESS),
    (10, Channel.HOTLINE, "yunling", "享堂村", "building-materials",
     S.BRICK_CONCRETE, H.OTHER_POOR, False, "匿名", None,
     "镇上一家建材店卖给危改户的钢筋很细，怀疑是不合格产品。", CaseStatus.ASSIGNED),
    (11, Channel.WEB, "chendai", "港头村", "renovation-procedure",
     S.EARTH_WOOD, H.REGISTERED_POOR, True, "知情人", "13859612222",
     "村干部把自己亲戚报成危改户领了补助，真正住土木危房的人家却没有报上去。", CaseStatus.IN_PROGRESS),
    (12, Channel.HOTLINE, "xiahe", "下河村", "renovation-procedure",
     S.UNKNOWN, H.UNKNOWN, True, None, None,
     "有人收了钱才给办危房改造，不给钱的就说名额满了。", CaseStatus.RECEIVED),
    (13, Channel.WEB, "econ-zone", "", "dangerous-house", S.BRICK_WOOD,
     H.MINIMUM_ALLOWANCE, False, None, "18960612345",
     "开发区边上一户低保户的砖木房二楼地板塌了一块，人还住在一楼。", CaseStatus.IN_PROGRESS),
    (14, Channel.SMS, "dongxia", "佳洲村", "disaster-damage",
     S.EARTH, H.REGISTERED_POOR, False, None, "13665061234",
     "暴雨后土坯房墙根被水泡软了，墙往外鼓，很危险。", CaseStatus.ASSIGNED),
    (15, Channel.WEB, "mapu", "梘河村", "dangerous-house", S.EARTH_WOOD,
     H.ENTITLED_GROUPS, False, "吴大爷", "13950612345",
     "我是老党员，家里土木老房子柱子被白蚁蛀空了，房子往一边歪。", CaseStatus.RECEIVED),
    (18, Channel.HOTLINE, "pumei", "中柱村", "still-living-in-danger",
     S.EARTH, H.DISPERSED_EXTREMELY_POOR, False, None, None,
     "特困供养的老人不愿意搬去集中安置点，还住在快倒的土坯房里。", CaseStatus.IN_PROGRESS),
    (16, Channel.WEB, "heping", "大埔村", "dangerous-house", S.EARTH,
     H.REGISTERED_POOR, True, None, "13805960016",
     "房子登记在我父亲名下，土坯墙裂得很厉害，我扣了一个盆接水，请派人来鉴定。", CaseStatus.ASSIGNED),
    (2, Channel.WEB, "yunling", "享堂村", "renovation-procedure", S.BRICK_WOOD,
     H.REGISTERED_POOR, True, "实名举报人", "13805960002",
     "住建局的工作人员收了红包才给评危房，我家的砖木房一直没人来鉴定。", CaseStatus.ACCEPTED),
    (20, Channel.WEB, "lieyu", "高溪村", "dangerous-house",
     S.BRICK_WOOD, H.DISABLED_POOR, True, None, None,
     "反映了三次房子危险，镇里工作人员一次都没来看过，说是等上面通知。", CaseStatus.ASSIGNED),
    (22, Channel.SMS, "huotian", "岳坑村", "leaks-drafts", S.BRICK_CONCRETE,
     H.MINIMUM_ALLOWANCE, False, None, "15959612345",
     "改造后的房子屋面做得不好，下雨就漏，找施工队也不来修。", CaseStatus.RESOLVED),
    (25, Channel.HOTLINE, "heping", "后埔村", "dangerous-house", S.EARTH,
     H.REGISTERED_POOR, False, "黄先生", "13799612345",
     "邻居家的土坯房山墙已经开裂，离我家厨房很近，担心倒下来砸到人。", CaseStatus.RESOLVED),
    (27, Channel.WEB, "yunling", "城关社区", "renovation-procedure",
     S.UNKNOWN, H.UNKNOWN, True, None, None,
     "评危改对象的时候优亲厚友，社区干部的亲戚房子很好也评上了。", CaseStatus.IN_PROGRESS),
    (30, Channel.SMS, "chendai", "岱山村", "dangerous-house", S.BRICK_WOOD,
     H.OTHER_POOR, False, None, "18859612345",
     "我家砖木房楼板开裂，前几天掉了一块水泥下来。", CaseStatus.RESOLVED),
    (33, Channel.WEB, "xiahe", "溪坂村", "safety-plate", S.BRICK_CONCRETE,
     H.REGISTERED_POOR, False, None, None,
     "我家的住房安全牌挂上去了，但写的鉴定等级和实际不一样。", CaseStatus.RESOLVED),
    (36, Channel.HOTLINE, "dongxia", "东山村", "renovation-procedure",
     S.BRICK_CONCRETE, H.DISABLED_POOR, False, None, "13805969876",
     "残疾人家庭危改补助申请交上去三个月了，没有任何回复。", CaseStatus.IN_PROGRESS),
    (40, Channel.WEB, "huotian", "菜埔村", "household-data",
     S.EARTH, H.MINIMUM_ALLOWANCE, False, None, None,
     "我家是低保户，住土坯房，可是排查名单里没有我家，被漏掉了。", CaseStatus.ASSIGNED),
    (45, Channel.SMS, "pumei", "莆美村", "disaster-damage",
     S.EARTH_WOOD, H.REGISTERED_POOR, False, None, "13906969876",
     "山边的房子后面滑坡了，泥土堆到后墙，墙有裂缝。", CaseStatus.RESOLVED),
)


def seed_demo(session: Session, tools: CaseTools) -> list[tuple[str, str, str]] | None:
    """Add the demo accounts and complaints; ``None`` when the database already has users."""
    if session.scalar(select(func.count()).select_from(User)):
        return None
    logins = []
    # Keyed by str: the accounts' unit is a UnitKind or a slug, and a slug maps to itself.
    by_kind: dict[str, str] = {UnitKind.LEAD: tools.table.lead_unit.slug,
                               UnitKind.COMMISSION: tools.table.commission.slug}
    for username, role, unit, display_name in DEMO_ACCOUNTS:
        password = generate_password()
        create_user(session, username, role, password, display_name=display_name,
                    unit_slug=by_kind.get(unit, unit) if unit else None)
        logins.append((username, password, role.value))
    # A key for trying the Open311 API (`api-keys revoke demo-client` to stop it).
    logins.append(("demo-client", issue_key(session, "demo-client"), "open311-api-key"))

    users = {user.username: user for user in session.scalars(select(User))}
    lead = users["lead"]
    as_lead = frozenset({Relation.LEAD})
    for (days_ago, channel, township, village, category, structure,
         household, misconduct, name, phone, text, status) in DEMO_COMPLAINTS:
        received = now_utc() - timedelta(days=days_ago, hours=days_ago % 7)
        with frozen_at(received):
            complaint = file_complaint(session, tools, NewComplaint(
                channel=channel, description=text, township_slug=township,
                village=village or None, house_structure=structure,
                category=None if channel is Channel.SMS else category,
                household_type=household, alleges_misconduct=misconduct,
                reporter_name=name, reporter_phone=phone,
            )).complaint
        # The lead unit dispatches each case as routed (to itself where the routed unit is
        # accused by the case's clue) and (here) works it through.
        for hours_later, request in enumerate(DEMO_STEPS[status], start=1):
            if request.kind is EventKind.ASSIGN and accused_unit_ids(complaint):
                request = ActionRequest(EventKind.ASSIGN, unit=tools.table.lead_unit.slug)
            with frozen_at(received + timedelta(hours=5 * hours_later)):
                perform(session, tools, complaint, request, as_lead, lead)
        steps = DEMO_CLUE_STEPS.get(days_ago, ()) if complaint.clues else ()
        for hours_later, (relations, action) in enumerate(steps, 1):
            actor = users["commission"] if relations == COMMISSION_ACTS else lead
            when = received + timedelta(days=hours_later)
            if action.kind is EventKind.CLUE_DISPOSED:
                action = replace(action, result_on=to_local(when).date())
            with frozen_at(when):
                perform_clue(session, tools, complaint.clues[0], action, relations, actor)
    for days_ago, (username, new) in enumerate(DEMO_UNIT_CLUES, start=4):
        with frozen_at(now_utc() - timedelta(days=days_ago)):
            record_clue(session, tools, users[username], new)
    _seed_roster(session, tools)
    session.flush()
    return logins


# A list of newly registered poor households as the poverty office would send it (made-up
# names; ID numbers with valid check characters).
DEMO_ROSTER = (("林秀英", "35062219500101123", "火田镇", "菜埔村", "registered-poor", "earth"),
               ("陈阿土", "35062219620315002", "马铺乡", "坪水村", "minimum-allowance", "earth-wood"),
               ("吴大妈", "35062219381108441", "下河乡", "下河村", "extremely-poor", "brick-wood"))


def _seed_roster(session: Session, tools: CaseTools) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([header for header, _ in HEADERS])
    for name, first17, township, village, kind, structure in DEMO_ROSTER:
        sheet.append([name, first17 + id_check_character(first17), "", township, village,
                      f"{village}{name}家", t(f"household.{kind}"), t(f"structure.{structure}")])
    out = io.BytesIO()
    book.save(out)
    provider = session.scalar(select(Unit).where(Unit.kind == UnitKind.PARTICIPATING).order_by(Unit.id))
    if provider is None:
        return
    import_roster(session, tools, data=out.getvalue(), filename="demo-roster.xlsx",
                  provider=provider, received_on=local_today() - timedelta(days=20), actor=None)
    # The township names its liaison and its helpers; this quarter's visits are planned.
    liaison = session.scalar(select(User).where(User.username == "liaison-huotian"))
    helper = session.scalar(select(User).where(User.username == "helper-huotian"))
    if liaison is not None and helper is not None:
        name_unit_contact(session, liaison)
        for household in session.scalars(select(Household).where(Household.township_id == helper.unit_id)):
            assign_helper(session, household, helper)
    plan_visits(session, tools, local_today())


demo = AppGroup("demo", help="Demonstration data.")


@demo.command("seed")
def demo_seed() -> None:
    """Units, one account per role, and realistic complaints; once per database."""
    parts = components()
    with parts.session_factory() as session:
        sync_units(session, parts.table.units)
        logins = seed_demo(session, parts.tools)
        session.commit()
    if logins is None:
        click.echo("demo data already present; nothing added")
        return
    login_file = parts.settings.instance_path / "demo-logins.txt"
    lines = [f"{username:<20} {password:<20} {role}" for username, password, role in logins]
    login_file.parent.mkdir(parents=True, exist_ok=True)
    # Created private before the passwords go in, so they are never readable by others.
    login_file.touch(mode=0o600)
    login_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    click.echo(f"demo accounts (also in {login_file}):")
    click.echo("\n".join(lines))
