"""The resident's pages in a real browser: headless Chromium at a phone's size, with axe-core.

Skips, saying why, where Chromium, Playwright or axe-core is missing; `.ci/run` installs them.
Screenshots go to $TEST_OUTPUT_DIR (default: .test-output/) for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pyotp
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(os.environ.get("AXE_JS", ROOT / "node_modules" / "axe-core" / "axe.min.js"))
OUTPUT = Path(os.environ.get("TEST_OUTPUT_DIR", ROOT / ".test-output"))
ANSWER = "2468"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# `make test` installs the browser and axe-core and sets BROWSER_TESTS=required: there a
# missing piece fails the run instead of quietly skipping the pages people use.
REQUIRED = os.environ.get("BROWSER_TESTS") == "required"


def _missing(reason: str) -> None:
    if REQUIRED:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason, allow_module_level=True)


playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
if not Path(CHROMIUM).exists():
    _missing("Debian's chromium is not installed (make browser-deps)")
if not AXE.exists():
    _missing(f"axe-core is not installed ({AXE}); run: make browser-deps")


@pytest.fixture
def server(make_app, serve):
    app = make_app(CAPTCHA_TEST_ANSWER=ANSWER)
    # As wsgi.py does: the learned fallback is trained before the first request, not within it
    # (on a busy machine that took longer than a browser waits for a page).
    app.extensions["complaints"].router.warm()
    return serve(app)


@pytest.fixture
def phone():
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                      has_touch=True, device_scale_factor=2, locale="zh-CN",
                                      # Only so axe-core can be injected; the pages themselves run no script.
                                      bypass_csp=True)
        yield context.new_page()
        browser.close()


def accessibility_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in result["violations"]]


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / name), full_page=True)


def staff_login(page, server: str, username: str, enrol: bool = False):  # type: ignore[no-untyped-def]
    """Staff work at a desk: a desktop-sized window, logged in with the keyboard. ``enrol``:
    a first login that must set up the second factor, as its user would with a phone app."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server}/staff/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct horse battery")
    page.keyboard.press("Enter")
    if enrol:
        page.wait_for_url(f"{server}/staff/second-factor")
        assert accessibility_violations(page) == []
        page.get_by_role("button", name="开始设置").click()
        assert page.locator("#totp-qr svg").count() == 1
        secret = page.locator("#totp-secret").inner_text()
        page.get_by_label("输入验证器上显示的 6 位数字，完成设置").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="验证").click()
        page.wait_for_url(f"{server}/staff/second-factor/confirm")
        assert page.locator("#recovery-codes li").count() == 10
        assert accessibility_violations(page) == []
        page.get_by_role("link", name="我已保存，继续").click()
    page.wait_for_url(f"{server}/staff/")
    return page


def crack_photo(tmp_path: Path) -> Path:
    path = tmp_path / "crack.jpg"
    Image.new("RGB", (800, 600), (150, 110, 80)).save(path, "JPEG")
    return path


def test_report_receipt_status_and_follow_up_on_a_phone(server, phone, tmp_path, database_url):
    suffix = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    phone.goto(f"{server}/report")
    assert accessibility_violations(phone) == []
    phone.get_by_label("房屋有危险（开裂、倾斜、可能倒塌）").check()
    phone.get_by_label("请说说具体情况 *").fill("我家土坯房后墙裂了一条大缝，能伸进手指，下雨天怕倒。")
    phone.get_by_label("乡镇 *").select_option("huotian")
    phone.get_by_label("村（社区）").fill("菜埔村")
    phone.get_by_label("土坯").check()
    phone.get_by_label("建档立卡贫困户").check()
    phone.get_by_label("照片（最多 5 张，可以直接拍照）").set_input_files(str(crack_photo(tmp_path)))
    phone.get_by_label("手机号码（用来发短信告诉您办理进度）").fill("13055441314")
    phone.get_by_label("请输入图中的数字 *").fill(ANSWER)
    shot(phone, f"report-form-{suffix}.png")
    phone.get_by_role("button", name="提交举报").click()

    phone.wait_for_url(re.compile(r".*/receipt$"))
    number = phone.locator("#tracking-number").inner_text()
    code = phone.locator("#query-code").inner_text()
    assert re.fullmatch(r"YX\d{8}-\d{4}", number) and re.fullmatch(r"\d{6}", code)
    assert "县住建局" in phone.content()
    shot(phone, f"receipt-{suffix}.png")
    assert accessibility_violations(phone) == []

    phone.get_by_role("link", name="查询办理进度").click()
    phone.get_by_label("查询编号（如 YX20261128-0042）").fill(number)
    phone.get_by_label("查询码（6 位数字）").fill(code)
    phone.get_by_role("button", name="查询").click()
    assert "收到您的举报" in phone.locator("#public-timeline").inner_text()
    assert accessibility_violations(phone) == []
    phone.get_by_label("补充情况或回答工作人员的问题").fill("今天又掉了一块砖")
    phone.get_by_role("button", name="发送").click()
    assert "您补充：今天又掉了一块砖" in phone.locator("#public-timeline").inner_text()
    shot(phone, f"status-{suffix}.png")


def test_errors_are_shown_beside_their_fields(server, phone):
    phone.goto(f"{server}/report")
    phone.get_by_role("button", name="提交举报").click()
    assert phone.locator("#description-error").inner_text() == "请写一下具体情况。"
    assert phone.locator("#township-error").is_visible()
    # The list of what to correct comes first and has the focus; its links reach each field.
    # (Waited for: the script that moves the focus runs once the page has loaded.)
    playwright_api.expect(phone.locator("#error-summary")).to_be_focused()
    phone.locator("#error-summary a[href='#description']").click()
    assert accessibility_violations(phone) == []


def test_operator_logs_a_call_with_the_keyboard(server, phone, make_user):
    from complaints.core.vocabulary import Role

    make_user("op1", Role.OPERATOR)
    page = staff_login(phone, server, "op1")
    page.goto(f"{server}/staff/calls/new")
    assert accessibility_violations(page) == []
    # The caller's number has the focus; everything else is a Tab away.
    page.keyboard.type("13055441314")
    page.keyboard.press("Tab")
    page.keyboard.type("4")
    page.keyboard.press("Tab")
    page.keyboard.type("火")  # the township list jumps to 火田镇
    page.get_by_label("来电内容摘要").fill("来电人称：火田镇菜埔村一户土坯房墙体开裂。")
    page.get_by_label("来电内容摘要").press("Control+Enter")
    page.wait_for_selector("#tracking-number")
    assert re.fullmatch(r"YX\d{8}-\d{4}", page.locator("#tracking-number").inner_text())
    assert re.fullmatch(r"\d{6}", page.locator("#query-code").inner_text())
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / "operator-saved.png"))


def test_the_commission_works_a_clue_in_its_console(server, phone, make_user, db, tools):
    """Signing for a transferred clue and recording its disposition, as the commission does."""
    from datetime import date

    from complaints.cases.clues import ClueAction, ClueRelation, perform_clue
    from complaints.core.vocabulary import Channel, EventKind, Role
    from complaints.intake.filing import NewComplaint, file_complaint

    lead = make_user("lead1", Role.LEAD, "housing")
    make_user("jw", Role.COMMISSION, "discipline-commission", second_factor=False)
    complaint = file_complaint(db, tools, NewComplaint(
        channel=Channel.WEB, township_slug="huotian",
        description="火田镇村建所的干部收了钱才给办危房改造，我家屋顶一直漏雨")).complaint
    clue = complaint.clues[0]
    perform_clue(db, tools, clue, ClueAction(EventKind.TRANSFER_CLUE),
                 frozenset({ClueRelation.LEAD}), lead)
    db.commit()
    number = clue.number

    page = staff_login(phone, server, "jw", enrol=True)
    # The commission lands on every clue, with its state and the accused unit.
    row = page.locator("#clues tr", has_text=number)
    assert "已移送，待纪委监委签收" in row.inner_text() and "火田镇" in row.inner_text()
    assert accessibility_violations(page) == []
    row.get_by_role("link", name=number).click()
    assert "收了钱" in page.locator("#allegation").inner_text()
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="签收").click()
    assert page.locator("#clue-state").inner_text() == "纪委监委已签收"
    dispose = page.locator("details", has=page.locator("summary", has_text="记录处置"))
    if dispose.get_attribute("open") is None:
        dispose.locator("summary").click()
    page.get_by_label("处置方式").select_option(label="初步核实")
    page.get_by_label("办结日期").fill(date.today().isoformat())
    page.get_by_label("处置结果").fill("经初步核实，反映属实，已转立案审查")
    page.get_by_role("button", name="记录处置").click()
    assert page.locator("#clue-state").inner_text() == "纪委监委已处置"
    assert page.locator("#clue-disposition").inner_text() == "初步核实"
    assert "纪委监委处置" in page.locator("#clue-timeline").inner_text()
    assert accessibility_violations(page) == []
    shot(page, "commission-clue.png")


def test_a_helper_reports_on_a_household_from_a_phone(server, phone, make_user, db, tools, tmp_path,
                                                      database_url):
    """A day of visits: log in on the phone, tap a household, pick the problem, a note, a
    photo, send; back at the list for the next one. Large targets, nothing wider than 360 px."""
    from datetime import date

    from sqlalchemy import select

    from complaints.core.vocabulary import Channel, Role
    from complaints.db.models import Complaint, Household, Unit
    from complaints.households.helpers import assign_helper
    from tests.storage.test_roster import CHEN, LIN, imported, row, xlsx

    suffix = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    provider = db.scalar(select(Unit).where(Unit.slug == "poverty-office"))
    imported(db, tools, xlsx([row("林秀英", LIN), row("陈阿土", CHEN)]), provider,
             received_on=date(2026, 10, 8))
    helper = make_user("helper-1", Role.HELPER, "huotian")
    for household in db.scalars(select(Household)):
        assign_helper(db, household, helper)
    db.commit()
    phone.goto(f"{server}/staff/login")
    phone.get_by_label("用户名").fill("helper-1")
    phone.get_by_label("密码").fill("correct horse battery")
    phone.get_by_label("密码").press("Enter")
    phone.wait_for_url(f"{server}/staff/helper/")
    assert accessibility_violations(phone) == []
    for attempt, problem in enumerate(("房子漏雨、透风", "还住在老危房里")):
        phone.locator("#my-households a.tap").nth(attempt).click()
        assert accessibility_violations(phone) == []
        phone.get_by_label(problem).check()
        phone.get_by_label("情况说明（可选）").fill("昨晚下雨，屋里接了三个盆")
        if attempt == 0:
            phone.get_by_label("照片（可选）").set_input_files(str(crack_photo(tmp_path)))
            # Every target a thumb can hit; the page never scrolls sideways.
            heights = phone.eval_on_selector_all("label.tap, button.tap",
                                                 "els => els.map(e => e.offsetHeight)")
            assert min(heights) >= 44
            assert phone.evaluate("document.documentElement.scrollWidth") <= 360
            shot(phone, f"helper-report-{suffix}.png")
        phone.get_by_role("button", name="报给乡镇").click()
        phone.wait_for_url(f"{server}/staff/helper/")
        assert "已报给火田镇" in phone.locator("p.notice").inner_text()
    db.rollback()
    cases = db.scalars(select(Complaint).where(Complaint.channel == Channel.HELPER)).all()
    assert sorted(case.category for case in cases) == ["leaks-drafts", "still-living-in-danger"]
    assert {case.responsible_unit.slug for case in cases} == {"huotian"}
    assert sum(len(case.attachments) for case in cases) == 1
