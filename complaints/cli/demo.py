"""``flask --app complaints.app demo seed``: what a county's first weeks of complaints might look like.

Complaints go through the same filing, routing and lifecycle as real ones.
"""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from complaints.accounts import create_user, generate_password
from complaints.cases.operations import ActionRequest, perform
from complaints.cases.rules import Relation
from complaints.cases.tools import CaseTools
from complaints.cases.units import sync_units
from complaints.cli.context import components
from complaints.core.clock import frozen_at, now_utc
from complaints.core.vocabulary import (
    CaseStatus,
    Channel,
    EventKind,
    HouseholdType,
    HouseStructure,
    Outcome,
    Role,
    UnitKind,
)
from complaints.db.models import User
from complaints.intake.api_keys import issue_key
from complaints.intake.filing import NewComplaint, file_complaint

# How far each demo case has come. TRANSFERRED here means: the clue was transferred
# to the commission, while the hazard itself went to its unit.
DEMO_STEPS: dict[CaseStatus, tuple[ActionRequest, ...]] = {
    CaseStatus.RECEIVED: (),
    CaseStatus.ASSIGNED: (ActionRequest(EventKind.ACCEPT), ActionRequest(EventKind.ASSIGN)),
    CaseStatus.IN_PROGRESS: (
        ActionRequest(EventKind.ACCEPT), ActionRequest(EventKind.ASSIGN), ActionRequest(EventKind.START),
    ),
    CaseStatus.RESOLVED: (
        ActionRequest(EventKind.ACCEPT), ActionRequest(EventKind.ASSIGN), ActionRequest(EventKind.START),
        ActionRequest(EventKind.RESOLVE, outcome=Outcome.RECTIFIED, reason="已完成加固，演示数据"),
    ),
    CaseStatus.TRANSFERRED: (
        ActionRequest(EventKind.ACCEPT),
        ActionRequest(EventKind.TRANSFER_CLUE, reason="移送县纪委监委，演示数据"),
        ActionRequest(EventKind.ASSIGN),
    ),
}

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
     "村干部把自己亲戚报成危改户领了补助，真正住土木危房的人家却没有报上去。", CaseStatus.TRANSFERRED),
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

    lead = session.scalar(select(User).where(User.username == "lead"))
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
        # The lead unit dispatches each case as routed and (here) works it through.
        for hours_later, request in enumerate(DEMO_STEPS[status], start=1):
            with frozen_at(received + timedelta(hours=5 * hours_later)):
                perform(session, tools, complaint, request, as_lead, lead)
    session.flush()
    return logins


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
