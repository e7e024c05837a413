"""The resident's path: the form, the receipt, the status page; and every way it can go wrong."""

import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from complaints.core.vocabulary import Channel
from complaints.db.models import Attachment, Complaint, OutboxMessage, SpentCaptcha
from complaints.intake.filing import NewComplaint, file_complaint
from tests.conftest import captcha_digits, csrf_token_from

ANSWER = "2468"


def photo(fmt="JPEG", size=(640, 480), with_location=False):
    image = Image.new("RGB", size, (180, 120, 90))
    out = io.BytesIO()
    kwargs = {}
    if with_location:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"          # Make
        exif[0x0110] = "PhoneModel X"        # Model
        exif[0x8825] = {1: "N", 2: (24.0, 1.0, 0.0), 3: "E", 4: (117.0, 20.0, 0.0)}  # GPS
        kwargs["exif"] = exif
    image.save(out, fmt, **kwargs)
    return out.getvalue()


@pytest.fixture
def site(make_app):
    return make_app(CAPTCHA_TEST_ANSWER=ANSWER)


@pytest.fixture
def browser(site):
    return site.test_client()


def form_fields(page):
    return {
        "csrf_token": csrf_token_from(page),
        "submission_token": re.search(r'name="submission_token" type="hidden" value="([^"]+)"',
                                      page).group(1),
    }


def post_form(client, url, data):
    """Multipart, encoded in memory: the test client would spool a large body to a
    temporary file that it never closes."""
    values = MultiDict()
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            values.add(name, FileStorage(item[0], item[1]) if isinstance(item, tuple) else item)
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def submit(browser, **fields):
    page = browser.get("/report").get_data(as_text=True)
    data = {**form_fields(page), "township": "huotian", "village": "菜埔村",
            "description": "我家土坯房后墙裂了一条大缝，下雨天怕倒。", "structure": "earth",
            "household": "registered-poor", "captcha": ANSWER, **fields}
    return post_form(browser, "/report", data)


def count(db, model=Complaint):
    db.rollback()
    return db.scalar(select(func.count()).select_from(model))


def test_form_is_chinese_accessible_and_light(browser):
    response = browser.get("/report")
    page = response.get_data(as_text=True)
    assert 'lang="zh-CN"' in page and "我要举报" in page
    assert 'inputmode="numeric"' in page and "换一张" in page and "captcha.wav" in page
    assert re.search(r"<audio controls preload=\"none\" src=\"/captcha.wav", page)  # played in the page
    for field_id in ("description", "township", "village", "address", "name", "phone", "captcha"):
        assert f'for="{field_id}"' in page, field_id
    css = browser.get("/static/site.css")
    image = browser.get(re.search(r'src="(/captcha.png[^"]*)"', page).group(1).replace("&amp;", "&"))
    assert image.mimetype == "image/png"
    weight = len(response.data) + len(css.data)
    assert weight < 30 * 1024, weight
    assert weight + len(image.data) < 100 * 1024
    css.close()


def test_a_complaint_from_form_to_receipt(browser, db, tools):
    response = submit(browser, name="林秀英", phone="130 5544 1314",
                      photos=[(io.BytesIO(photo(with_location=True)), "IMG_0001.jpg")])
    assert response.status_code == 302 and response.location.endswith("/receipt")
    receipt = browser.get("/receipt")
    page = receipt.get_data(as_text=True)
    assert receipt.headers["Cache-Control"] == "no-store"
    number = re.search(r'id="tracking-number">(YX\d{8}-\d{4})<', page).group(1)
    code = re.search(r'id="query-code">(\d{6})<', page).group(1)
    assert "县住建局" in page and re.search(r"\d{4}-\d{2}-\d{2}", page)

    db.rollback()
    complaint = db.scalar(select(Complaint).where(Complaint.tracking_number == number))
    assert complaint.channel.value == "web" and complaint.category == "dangerous-house"
    assert complaint.routing["lead_unit"] == "housing" and complaint.township.slug == "huotian"
    stored = Image.open(io.BytesIO(complaint.attachments[0].data))
    assert stored.format == "JPEG" and not stored.getexif()  # no location, no phone model
    sms = db.scalar(select(OutboxMessage))
    text = tools.vault.open(sms.body_sealed, "outbox-body")
    assert number in text and code in text
    assert text.startswith("【云霄住房安全】已收到您的举报") and "前办结" in text
    # Shown once: a refresh no longer shows the code.
    again = browser.get("/receipt").get_data(as_text=True)
    assert code not in again and number in again


def test_the_same_form_sent_twice_makes_one_complaint(browser, db):
    page = browser.get("/report").get_data(as_text=True)
    data = {**form_fields(page), "township": "mapu", "description": "屋顶漏雨，墙也裂了",
            "captcha": ANSWER}
    first = browser.post("/report", data=data)
    second = browser.post("/report", data=data)
    assert first.status_code == second.status_code == 302
    assert count(db) == 1


def test_wrong_captcha_keeps_nothing_and_says_why(make_app, db):
    client = make_app().test_client()  # the real captcha, no test answer
    page = client.get("/report").get_data(as_text=True)
    response = client.post("/report", data={
        **form_fields(page), "township": "mapu", "description": "屋顶漏雨", "captcha": "0000"})
    assert response.status_code == 400 and "数字不对" in response.get_data(as_text=True)
    assert count(db) == 0


def test_real_captcha_right_answer_works_once(make_app, db):
    client = make_app().test_client()
    page = client.get("/report").get_data(as_text=True)
    digits = captcha_digits(client)
    with client.session_transaction() as browser_session:
        kept = browser_session["captcha"]
    fields = {**form_fields(page), "township": "mapu", "description": "屋顶漏雨", "captcha": digits}
    response = client.post("/report", data=fields)
    assert response.status_code == 302 and count(db) == 1
    assert count(db, SpentCaptcha) == 1  # used up
    # The same picture's answer, sent again from another form: refused.
    with client.session_transaction() as browser_session:
        browser_session["captcha"] = kept
    again = client.post("/report", data={**form_fields(client.get("/report").get_data(as_text=True)),
                                         "township": "mapu", "description": "屋顶漏雨", "captcha": digits})
    assert again.status_code == 400 and count(db) == 1


def test_captcha_audio_is_a_recording(browser):
    browser.get("/report")
    audio = browser.get("/captcha.wav")
    assert audio.mimetype == "audio/wav" and audio.data[:4] == b"RIFF" and len(audio.data) > 20000


@pytest.mark.parametrize(("fields", "field_id", "message"), [
    ({"township": ""}, "township", "请选择房子所在的乡镇"),
    ({"description": ""}, "description", "请写一下具体情况"),
    ({"description": "裂" * 4001}, "description", "4 到 4000 个字"),
    ({"phone": "call me"}, "phone", "手机号码不对"),
    ({"village": "村" * 61}, "village", "内容太长了"),
    ({"captcha": ""}, "captcha", "请输入图中的数字"),
])
def test_bad_input_is_answered_next_to_its_field(browser, db, fields, field_id, message):
    response = submit(browser, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(rf'<p class="error" id="{field_id}-error" role="alert">([^<]+)</p>', page)
    assert error and message in error.group(1), page[:0]
    assert count(db) == 0


def test_typed_text_survives_an_error(browser):
    page = submit(browser, township="", description="我家房子裂了很久了").get_data(as_text=True)
    assert "我家房子裂了很久了" in page


def test_a_text_file_renamed_jpg_is_refused(browser, db):
    response = submit(browser, photos=[(io.BytesIO(b"not a photo at all" * 50), "crack.jpg")])
    assert response.status_code == 400
    assert "不是照片" in response.get_data(as_text=True) and count(db) == 0


def test_six_photos_are_too_many(browser, db):
    response = submit(browser, photos=[(io.BytesIO(photo()), f"{n}.jpg") for n in range(6)])
    assert response.status_code == 400 and "最多 5 张" in response.get_data(as_text=True)


def test_png_and_webp_are_kept_as_they_are(browser, db):
    response = submit(browser, photos=[(io.BytesIO(photo("PNG")), "a.png"),
                                       (io.BytesIO(photo("WEBP")), "b.webp")])
    assert response.status_code == 302
    db.rollback()
    assert sorted(db.scalars(select(Attachment.content_type))) == ["image/png", "image/webp"]


def test_a_fifty_megabyte_upload_gets_a_clear_page(browser, db):
    page = browser.get("/report").get_data(as_text=True)
    response = post_form(browser, "/report", {
        **form_fields(page), "township": "mapu", "description": "屋顶漏雨", "captcha": ANSWER,
        "photos": (io.BytesIO(b"\xff" * (50 * 1024 * 1024)), "huge.jpg")})
    assert response.status_code == 413 and "太大" in response.get_data(as_text=True)
    assert count(db) == 0


def test_missing_or_wrong_csrf_token_is_refused(browser, db):
    page = browser.get("/report").get_data(as_text=True)
    fields = {**form_fields(page), "township": "mapu", "description": "屋顶漏雨", "captcha": ANSWER}
    for token in (None, "forged"):
        data = dict(fields)
        if token is None:
            data.pop("csrf_token")
        else:
            data["csrf_token"] = token
        response = browser.post("/report", data=data)
        assert response.status_code == 400 and "页面已过期" in response.get_data(as_text=True)
    assert count(db) == 0


def test_emoji_and_mixed_scripts_are_kept(browser, db):
    text = "房子裂了😭😭 wall cracked ĐÂY là nhà tôi 마을 🏚️"
    assert submit(browser, description=text).status_code == 302
    db.rollback()
    assert db.scalar(select(Complaint.description)) == text


def test_anonymous_report_keeps_no_identity(browser, db):
    submit(browser, anonymous="y", name="林秀英", phone="13055441314")
    db.rollback()
    assert db.scalar(select(Complaint)).reporter is None
    assert count(db, OutboxMessage) == 0


def test_misconduct_box_makes_a_discipline_clue(browser, db):
    submit(browser, misconduct="y", description="村里评危改的时候有人收钱")
    db.rollback()
    assert db.scalar(select(Complaint.alleges_misconduct)) is True


def test_twenty_submissions_in_a_row_are_stopped(make_app, db):
    client = make_app(CAPTCHA_TEST_ANSWER=ANSWER, REPORT_LIMIT_PER_ADDRESS="10 per hour").test_client()
    codes = [submit(client, description=f"第{n}次：屋顶漏雨").status_code for n in range(20)]
    assert codes[:10] == [302] * 10 and set(codes[10:]) == {429}
    limited = submit(client)
    assert "操作太频繁" in limited.get_data(as_text=True)
    assert count(db) == 10


@pytest.fixture
def filed_case(browser):
    submit(browser, name="林秀英", phone="13055441314")
    page = browser.get("/receipt").get_data(as_text=True)
    return (re.search(r'id="tracking-number">([^<]+)<', page).group(1),
            re.search(r'id="query-code">(\d{6})<', page).group(1))


def look_up(client, number, code):
    page = client.get("/status").get_data(as_text=True)
    return client.post("/status", data={"csrf_token": csrf_token_from(page),
                                        "tracking_number": number, "query_code": code})


def test_status_page_shows_the_public_timeline(site, browser, db, filed_case, make_user, tools):
    number, code = filed_case
    from complaints.cases.operations import ActionRequest, perform
    from complaints.cases.rules import Relation
    from complaints.core.vocabulary import EventKind, Role

    lead = make_user("lead1", Role.LEAD, "housing")
    complaint = db.scalar(select(Complaint).where(Complaint.tracking_number == number))
    for action, fields in ((EventKind.ACCEPT, {}), (EventKind.ASSIGN, {}),
                           (EventKind.NOTE, {"reason": "内部：村支书是举报人亲戚"}),
                           (EventKind.PUBLIC_REPLY, {"reason": "周三上门查看"})):
        perform(db, tools, complaint, ActionRequest(action, **fields), frozenset({Relation.LEAD}), lead)
    db.commit()
    response = look_up(browser, number.lower(), code)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "交由县住建局办理" in page and "周三上门查看" in page
    assert "内部" not in page and "派单员" not in page and "林秀英" not in page
    assert code not in response.request.url


def test_wrong_code_says_nothing_about_the_number(browser, filed_case):
    number, code = filed_case
    wrong = look_up(browser, number, "000000" if code != "000000" else "111111")
    unknown = look_up(browser, "YX20000101-9999", "123456")
    assert wrong.status_code == unknown.status_code == 400
    assert "查询编号或查询码不对" in wrong.get_data(as_text=True)
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    assert strip(wrong) == strip(unknown)


def test_guessing_codes_is_limited_per_case_across_addresses(make_app, filed_case, site):
    number, code = filed_case
    client = site.test_client()
    statuses = []
    for n in range(12):
        page = client.get("/status").get_data(as_text=True)
        statuses.append(client.post("/status", data={
            "csrf_token": csrf_token_from(page), "tracking_number": number,
            "query_code": f"{n:06d}" if f"{n:06d}" != code else "999999"},
            environ_base={"REMOTE_ADDR": f"10.1.0.{n}"}).status_code)
    assert statuses[:10] == [400] * 10 and statuses[10:] == [429, 429]


def test_reporter_adds_information_and_staff_see_it(site, browser, db, filed_case, make_user):
    number, code = filed_case
    page = look_up(browser, number, code).get_data(as_text=True)
    response = browser.post("/status/message", data={
        "csrf_token": csrf_token_from(page), "tracking_number": number, "query_code": code,
        "text": "今天又掉了一块砖", "photos": [(io.BytesIO(photo()), "new.jpg")]},
        content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "已收到您的补充" in text and "今天又掉了一块砖" in text
    db.rollback()
    complaint = db.scalar(select(Complaint).where(Complaint.tracking_number == number))
    assert complaint.events[-1].action == "reporter-message" and len(complaint.attachments) == 1


def test_new_picture_keeps_what_was_typed(make_app, db):
    client = make_app().test_client()
    page = client.get("/report").get_data(as_text=True)
    with client.session_transaction() as browser_session:
        first = browser_session["captcha"]
    response = client.post("/report", data={**form_fields(page), "new_captcha": "1",
                                            "township": "mapu", "description": "我家屋顶漏雨"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "我家屋顶漏雨" in text and 'class="error"' not in text
    with client.session_transaction() as browser_session:
        assert browser_session["captcha"] != first  # a new picture
    assert count(db, SpentCaptcha) == 0  # the old one was not answered


def test_captcha_pictures_are_limited_per_address(make_app):
    client = make_app(CAPTCHA_LIMIT_PER_ADDRESS="3 per hour").test_client()
    client.get("/report")
    codes = [client.get("/captcha.png").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_guessing_codes_is_limited_per_address_across_cases(make_app):
    client = make_app(STATUS_LIMIT_PER_ADDRESS="3 per hour").test_client()
    statuses = [look_up(client, f"YX20261128-{n:04d}", "123456").status_code for n in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_five_ordinary_phone_photos_fit(browser, db):
    # About 4 MB each, like a 12-megapixel phone photo; the request limit must let five through.
    out = io.BytesIO()
    Image.merge("RGB", [Image.effect_noise((3000, 4000), 20)] * 3).save(out, "JPEG", quality=80)
    assert out.getbuffer().nbytes > 3 * 1024 * 1024
    response = submit(browser, photos=[(io.BytesIO(out.getvalue()), f"{n}.jpg") for n in range(5)])
    assert response.status_code == 302
    db.rollback()
    sizes = db.scalars(select(Attachment.byte_size)).all()
    assert len(sizes) == 5 and max(sizes) < out.getbuffer().nbytes  # scaled to 2560 px


def test_errors_are_listed_at_the_top_with_links_and_dropped_photos_are_said(browser):
    page = submit(browser, township="", description="",
                  photos=[(io.BytesIO(photo("PNG")), "a.png")]).get_data(as_text=True)
    summary = page[page.index('id="error-summary"'):page.index("<form")]
    assert 'href="#township"' in summary and 'href="#description"' in summary
    assert "请重新选择照片" in summary
    # Without photos there is nothing to choose again.
    page = submit(browser, township="").get_data(as_text=True)
    assert 'id="error-summary"' in page and "请重新选择照片" not in page


def test_the_home_page_gives_the_sms_number_and_what_to_write(make_app):
    page = make_app(TWILIO_PHONE_NUMBER="+8613800138000").test_client().get("/").get_data(as_text=True)
    assert "138 0013 8000" in page and "火田镇菜埔村" in page


def test_a_strangers_wrong_codes_do_not_lock_the_reporter_out(make_app, db, tools):
    app = make_app(STATUS_LIMIT_PER_CASE="3 per hour", STATUS_LIMIT_PER_ADDRESS="50 per hour")
    filed = file_complaint(db, tools, NewComplaint(Channel.WEB, "火田镇我家土坯房墙裂了",
                                                   township_slug="huotian"))
    db.commit()
    number, code = filed.complaint.tracking_number, filed.query_code
    reporter = app.test_client()
    reporter.environ_base["REMOTE_ADDR"] = "10.0.0.1"
    assert look_up(reporter, number, code).status_code == 200  # the reporter's own phone
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    tries = [look_up(guesser, number, f"{n:06d}").status_code for n in range(4)]
    assert tries == [400, 400, 400, 429]
    # The number is now closed to new browsers, the guesser's right code included...
    assert look_up(guesser, number, code).status_code == 429
    # ...but not to the browser that opened it before, from wherever it is now.
    reporter.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    assert look_up(reporter, number, code).status_code == 200


def test_a_case_takes_a_bounded_number_of_photos(browser, db, filed_case):
    number, code = filed_case
    sent = []
    for _ in range(5):  # 5 forms of 5 photos: the case is full after 20
        page = look_up(browser, number, code).get_data(as_text=True)
        sent.append(post_form(browser, "/status/message", {
            "csrf_token": csrf_token_from(page), "tracking_number": number, "query_code": code,
            "text": "再补几张照片", "photos": [(io.BytesIO(photo()), f"{n}.jpg") for n in range(5)]}))
    assert [r.status_code for r in sent] == [200, 200, 200, 200, 400]
    assert "最多收 20 张照片，现在还能再发 0 张" in sent[-1].get_data(as_text=True)
    db.rollback()
    complaint = db.scalar(select(Complaint).where(Complaint.tracking_number == number))
    assert len(complaint.attachments) == 20


def test_photos_are_decoded_before_the_request_writes(site, browser, database_url, monkeypatch):
    """On SQLite one writer holds the whole file: decoding under it stalls every resident."""
    if not database_url.startswith("sqlite"):
        pytest.skip("the database-wide write lock is SQLite's")
    import sqlite3

    from complaints.web import uploads as views

    path = database_url.split("///", 1)[1]
    original, seen = views.clean_photo, []

    def clean_while_another_writes(data):
        other = sqlite3.connect(path, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")  # fails at once if this request holds the lock
            other.rollback()
            seen.append("free")
        except sqlite3.OperationalError as error:
            seen.append(str(error))
        finally:
            other.close()
        return original(data)

    monkeypatch.setattr(views, "clean_photo", clean_while_another_writes)
    response = submit(browser, photos=[(io.BytesIO(photo()), "a.jpg"), (io.BytesIO(photo()), "b.jpg")])
    assert response.status_code == 302 and seen == ["free", "free"]


def _session_payload(client) -> str:
    """What anyone holding the browser's session cookie can read: it is signed, not encrypted."""
    import zlib

    from itsdangerous import base64_decode

    value = client.get_cookie("session").value
    compressed = value.startswith(".")
    data = base64_decode(value.lstrip(".").split(".")[0])
    return (zlib.decompress(data) if compressed else data).decode()


def test_the_query_code_is_not_readable_in_the_session_cookie(browser):
    assert submit(browser).status_code == 302
    between = _session_payload(browser)  # between the form and the receipt
    code = re.search(r'id="query-code">(\d{6})<', browser.get("/receipt").get_data(as_text=True)).group(1)
    assert code not in between and code not in _session_payload(browser)


def test_a_form_token_replayed_from_another_browser_shows_no_code(site, browser, db):
    page = browser.get("/report").get_data(as_text=True)
    data = {**form_fields(page), "township": "mapu", "description": "屋顶漏雨，墙也裂了", "captcha": ANSWER}
    assert browser.post("/report", data=data).status_code == 302
    first = browser.get("/receipt").get_data(as_text=True)
    assert re.search(r'id="query-code">\d{6}<', first)
    again = browser.post("/report", data=data)  # the same phone, the first answer lost
    assert re.search(r'id="query-code">\d{6}<', browser.get(again.location).get_data(as_text=True))

    other = site.test_client()  # someone who copied the form's token, with no captcha
    page = other.get("/report").get_data(as_text=True)
    replayed = other.post("/report", data={**data, "csrf_token": csrf_token_from(page)})
    shown = other.get(replayed.location).get_data(as_text=True)
    assert replayed.status_code == 302 and "YX" in shown
    assert not re.search(r'id="query-code">\d{6}<', shown) and count(db) == 1


def _resolve(db, tools, make_user, number):
    from complaints.cases.operations import ActionRequest, perform
    from complaints.cases.rules import Relation
    from complaints.core.vocabulary import EventKind, Outcome, Role

    lead = make_user("lead-feedback", Role.LEAD, "housing")
    complaint = db.scalar(select(Complaint).where(Complaint.tracking_number == number))
    for action, fields in ((EventKind.ACCEPT, {}), (EventKind.ASSIGN, {}), (EventKind.START, {}),
                           (EventKind.RESOLVE, {"outcome": Outcome.RECTIFIED})):
        perform(db, tools, complaint, ActionRequest(action, **fields), frozenset({Relation.LEAD}), lead)
    db.commit()


def _feedback(client, number, code, page, **answer):
    return client.post("/status/feedback", data={"csrf_token": csrf_token_from(page),
                                                 "tracking_number": number, "query_code": code, **answer})


def test_the_reporter_says_on_the_web_whether_it_was_fixed(browser, db, tools, make_user, filed_case):
    number, code = filed_case
    page = look_up(browser, number, code).get_data(as_text=True)
    assert 'id="feedback"' not in page  # only once it is resolved
    assert _feedback(browser, number, code, page, fixed="yes").status_code == 409

    _resolve(db, tools, make_user, number)
    page = look_up(browser, number, code).get_data(as_text=True)
    assert 'id="feedback"' in page and "问题解决了吗" in page and "基本满意" in page
    unanswered = _feedback(browser, number, code, page)
    assert unanswered.status_code == 400 and "请选择问题解决了没有" in unanswered.get_data(as_text=True)

    answered = _feedback(browser, number, code, page, fixed="no", satisfaction="2")
    shown = answered.get_data(as_text=True)
    assert answered.status_code == 200 and "您已申请复查" in shown and "前作出意见" in shown
    assert "您对办理结果不满意，已申请复查" in shown  # and the timeline says so
    db.rollback()
    complaint = db.scalar(select(Complaint).where(Complaint.tracking_number == number))
    assert complaint.review_pending_since is not None and complaint.reporter_satisfaction == 2
    assert complaint.reporter_says_fixed is False


def test_feedback_needs_the_code_and_a_fixed_case_closes(site, browser, db, tools, make_user, filed_case):
    number, code = filed_case
    _resolve(db, tools, make_user, number)
    stranger = site.test_client()
    page = stranger.get("/status").get_data(as_text=True)
    wrong = "000000" if code != "000000" else "111111"
    assert _feedback(stranger, number, wrong, page, fixed="yes").status_code == 400

    page = look_up(browser, number, code).get_data(as_text=True)
    answered = _feedback(browser, number, code, page, fixed="yes", satisfaction="5")
    assert answered.status_code == 200 and "谢谢您的评价" in answered.get_data(as_text=True)
    assert 'id="feedback"' not in answered.get_data(as_text=True)
    db.rollback()
    complaint = db.scalar(select(Complaint).where(Complaint.tracking_number == number))
    assert complaint.status.value == "closed" and complaint.reporter_satisfaction == 5
