"""The routing engine's rules, one by one, and its promises for any input."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints.core.vocabulary import HouseholdType
from complaints.routing.engine import Draft, Router, RoutingError
from complaints.routing.table import load_routing_table

TABLE = load_routing_table()
ROUTER = Router(TABLE)
TABLE_ALONE = Router(TABLE, examples=())
UNIT_SLUGS = {unit.slug for unit in TABLE.units}


def route(text, **fields):
    return ROUTER.route(Draft(text=text, **fields))


def test_structured_fields_win_over_the_text():
    decision = route("火田镇的房子漏雨", township="mapu", category="dangerous-house",
                     household=HouseholdType.DISABLED_POOR)
    assert (decision.township, decision.category, decision.household) == (
        "mapu", "dangerous-house", HouseholdType.DISABLED_POOR)
    assert decision.co_units == ("mapu", "disabled-federation")
    assert {(r.field, r.rule) for r in decision.reasons} >= {
        ("township", "given"), ("category", "given"), ("household", "given")}


def test_township_led_category_without_township_goes_to_the_lead_unit_for_triage():
    decision = route("房顶一下雨就漏，屋里到处滴水")
    assert decision.category == "leaks-drafts"
    assert decision.lead_unit == "housing" and decision.needs_triage
    assert decision.co_units == ()


def test_township_led_category_with_township_goes_to_the_township():
    decision = route("莆美的，房顶一下雨就漏")
    assert (decision.lead_unit, decision.co_units, decision.needs_triage) == (
        "pumei", ("housing",), False)


def test_misconduct_keeps_the_hazard_and_its_unit():
    decision = route("我家土坯房墙裂了，村干部说要送红包才给报危房 陈岱")
    assert decision.category == "dangerous-house" and decision.lead_unit == "housing"
    assert decision.discipline_clue
    clue = next(r for r in decision.reasons if r.field == "discipline_clue")
    assert "红包" in clue.words


def test_misconduct_alone_is_a_clue_for_the_lead_unit():
    # The table's own rule; the learned fallback may name the house's category (test_routing_learned).
    decision = TABLE_ALONE.route(Draft("村干部说要送红包才给评危改"))
    assert (decision.category, decision.lead_unit, decision.discipline_clue) == (
        "other", "housing", True)


def test_reporter_ticking_the_misconduct_box_makes_a_clue():
    assert route("房子裂了", alleges_misconduct=True).discipline_clue


@pytest.mark.parametrize(("text", "category"), [
    ("房子没有漏雨，就是墙裂了", "dangerous-house"),
    ("墙没有裂缝，就是屋顶漏雨", "leaks-drafts"),
    ("没有漏雨 没有裂缝 谢谢你们", "other"),
])
def test_negation_is_understood(text, category):
    assert route(text).category == category


@pytest.mark.parametrize("text", ["我住火田镇", "我住火田", "我住huo tian", "ＨＵＯＴＩＡＮ这边"])
def test_township_found_in_any_common_form(text):
    assert route(text).township == "huotian"


def test_development_zone_by_its_short_name():
    assert route("开发区这边房子裂了").township == "econ-zone"


def test_two_townships_named_means_triage():
    decision = route("我从云陵镇搬到火田镇，房子裂了")
    assert decision.township == "yunling" and decision.needs_triage


def test_household_adds_its_unit():
    assert "veterans" in route("我是退伍老兵，住东厦镇，房子裂缝很大").co_units
    assert "civil-affairs" in route("五保户，火田，危房").co_units


def test_nothing_routable_goes_to_the_lead_unit_for_triage():
    decision = route("。。。")
    assert (decision.category, decision.lead_unit, decision.needs_triage) == (
        "other", "housing", True)


def test_unknown_structured_values_are_refused():
    with pytest.raises(RoutingError):
        route("房子裂了", township="atlantis")
    with pytest.raises(RoutingError):
        route("房子裂了", category="alien-abduction")


def test_decision_json_has_the_stable_keys():
    assert list(route("房子裂了").as_json()) == [
        "category", "lead_unit", "co_units", "township", "discipline_clue", "needs_triage",
        "accused_unit", "reasons"]
    json.dumps(route("房子裂了").as_record())  # storable as it is


def test_record_names_the_table_version():
    assert route("房子裂了").as_record()["table_version"] == TABLE.version


texts = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)),
    st.lists(st.sampled_from(
        ["火田", "漏雨", "没有", "裂缝", "红包", "台风", "低保", "，", "开发区", "不", " ", "Ａ", "鉴定"]
    )).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_any_text_gets_exactly_one_existing_lead_unit(text):
    decision = ROUTER.route(Draft(text))
    assert decision.lead_unit in UNIT_SLUGS
    assert decision.category in TABLE.category_slugs
    assert decision.lead_unit not in decision.co_units
    assert set(decision.co_units) <= UNIT_SLUGS
    assert len(set(decision.co_units)) == len(decision.co_units)
    assert ROUTER.route(Draft(text)) == decision


def test_ten_thousand_characters():
    decision = route("我家房子裂了，" * 1500)
    assert decision.category == "dangerous-house" and len("我家房子裂了，" * 1500) > 10000


def test_the_main_issue_the_writer_marks_wins_over_what_outranks_it():
    text = "房子的安全牌没挂，这个不急；急的是我们家厨房那面墙被白蚁蛀空了，已经开始歪了。云陵镇。"
    decision = route(text)
    assert decision.category == "dangerous-house" and decision.lead_unit == "housing"
    assert ("category", "main-issue-marked") in {(r.field, r.rule) for r in decision.reasons}
    before = route("前几天有人冒充镇干部来村里收钱，我没交；另外我家跟隔壁连着的墙裂了，隔壁不是贫困户，"
                   "不肯出钱加固，这个才是我打电话的原因。列屿镇")
    assert before.category == "attached-house" and before.lead_unit == "lieyu"


def test_every_household_type_told_adds_its_co_unit():
    decision = route("我们是建档立卡户，我弟弟有二级残疾证，土坯房后墙裂了一条大缝。火田镇")
    assert decision.household is HouseholdType.REGISTERED_POOR
    assert {"poverty-office", "disabled-federation", "huotian"} <= set(decision.co_units)


def test_places_and_words_typed_as_the_south_says_them():
    assert route("云林镇的，我家土坯房墙裂开了").township == "yunling"  # -ng written -n
    assert route("申清了危房改早，到现在没批下来。马铺").category == "renovation-procedure"


def test_an_act_on_ordinary_things_or_inside_another_word_is_no_clue():
    for text in ("上个月村干部来我家收了危改的申请材料，说拿到镇上去报，到现在还没消息。陈岱镇",
                 "我家危改去年验收了，补助到现在只发了一半，问镇里说等县里拨款。莆美镇"):
        assert not route(text).discipline_clue, text
    assert route("村干部收了我家两千块钱才给报危改。莆美镇").discipline_clue


def test_a_sentence_about_him_goes_on_about_the_official_before():
    decision = route("下河乡的危改户都被村主任坑了！他规定我们的砖必须从他小舅子的砖厂拉，不买就不给签字。")
    assert decision.discipline_clue and decision.accused_unit == "xiahe"


def test_short_acts_are_not_heard_in_words_that_sound_like_them():
    # 哪去 sounds like 拿去: anger at the housing bureau is no accusation of it.
    decision = route("住建局的人都死哪去了！！！我家房子裂成这样，打了三次电话没人管！！！")
    assert not decision.discipline_clue and decision.lead_unit == "housing"
    assert route("cun zhi shu ba ming e gei le ta qin qi, wo jia mei you lie ru").discipline_clue


def test_still_living_in_the_old_house_needs_a_new_one_named():
    # Without a safe house to move to, an old house lived in is a dangerous house.
    assert route("老家马铺乡的房子墙裂了，屋顶也往下塌，家里老人还住着").category == "dangerous-house"
    assert route("新房已分，老人仍住老屋，老屋很危险，马铺乡").category == "still-living-in-danger"


def test_an_appraisal_named_is_overdue_only_when_it_has_not_come():
    assert route("莆美镇，上个月住建局来做房屋鉴定，大梁被白蚁蛀空了").category == "dangerous-house"
    assert route("莆美镇，我家才评上贫困户，三个月了还没人来做房屋鉴定").category == "appraisal-overdue"


def test_a_list_and_who_was_left_off_it_in_one_sentence_is_household_data():
    decision = route("今年名单出来还是没有我，我那间房子快倒了，马铺乡")
    assert decision.category == "household-data"
    assert any(word == "名单…没有我" for reason in decision.reasons for word in reason.words)
    # Apart, in two sentences, they make no such case.
    assert route("名单我看过了。房子快倒了，没有我能住的地方，马铺乡").category == "dangerous-house"


def test_a_denied_half_of_together_does_not_count():
    assert route("后山没滑坡，是房子自己的墙裂了，下河乡").category == "dangerous-house"


def test_what_the_writer_sets_aside_counts_for_nothing():
    decision = route("陈岱镇。我家门口的安全牌子到现在都没挂，这个倒无所谓。"
                     "主要是危改补助拖了大半年没发下来。")
    assert decision.category == "renovation-procedure" and not decision.needs_triage


def test_a_homophone_sharing_only_a_particle_is_another_word():
    # 拳头了 sounds like 拳偷了; 头了 is no theft.
    decision = route("火田镇，墙裂得能塞进拳头了，隔壁共一堵墙不让加固")
    assert decision.category == "attached-house"
    assert "偷了" not in ROUTER.reading.read("墙裂得能塞进拳头了")


def test_the_everyday_words_of_a_rule_are_not_heard_in_words_that_sound_like_them():
    # What a category requires (已分: the new house handed over) only as written: 一分钱 is
    # no new house, and this household has none to move to.
    assert ROUTER.reading.read("补助一分钱都没拿到") == "补助一分钱都没拿到"
    assert route("补助一分钱都没拿到，还住在老房子里，马铺乡").category != "still-living-in-danger"


def test_the_marker_that_says_most_tells_where_the_house_is():
    # Registered in one town, the house in another: the house's marker wins, whichever comes first.
    decision = route("我户口在莆美镇，可是房子在开发区那边。房屋安全牌一直没有挂。")
    assert decision.township == "econ-zone" and decision.lead_unit == "econ-zone"
    # A mother alone in her home town, the writer in the county seat.
    assert route("我住县城云陵镇，我妈一个人在火田镇老家，新房盖好了，她还住在老房子里。"
                 ).township == "huotian"


def test_a_town_that_is_only_where_the_writer_works_is_not_the_houses():
    decision = route("我在云陵镇做小生意，家在山美村，屋后那片坡塌了一大块，泥都堆到后墙上了。")
    assert decision.township is None and decision.lead_unit == "natural-resources"
    assert ("township", "house-somewhere-unnamed") in {(r.field, r.rule) for r in decision.reasons}
    # Where the house's marker names the town itself, it is the house's.
    assert route("我在广州打工，家在下河乡，老房子墙裂了。").township == "xiahe"


def test_what_matters_more_points_forward_when_said_before_it():
    decision = route("马铺乡。台风把屋顶掀了几片瓦，这倒还好，更要紧的是屋后山体滑坡，石头一直往下滚。")
    assert decision.category == "land-and-geohazard"


def test_an_official_silencing_the_writer_is_no_denial():
    decision = route("和平乡。村干部为了应付上面检查，故意给我家挂了个安全的牌子，还叫我别乱说。")
    assert decision.discipline_clue and decision.accused_unit == "heping"
    # The writer's own denial still is one.
    assert not route("上次说村干部收钱是我乱说的，他没收。和平乡").discipline_clue


def test_him_in_the_next_sentence_is_the_official_named_before():
    decision = TABLE_ALONE.route(Draft(
        "村支书还来拍过照。结果名单公示出来没有我家，反而有他小舅子家。和平乡"))
    assert decision.discipline_clue and decision.accused_unit == "heping"
    # Thanks carried to "them" are no gift to an official.
    assert not TABLE_ALONE.route(Draft(
        "特别感谢管委会的同志，跑了好几趟。我们想做一面锦旗送给他们。")).discipline_clue


def test_minnan_words_typed_in_traditional_characters_are_in_the_lexicon():
    # 佇 (at) is simplified to 伫 before the lexicon is read; its entry must still apply.
    assert ROUTER.reading.read("阮无佇名单内底") == "我们不在名单里"


def test_refused_for_want_of_a_gift_is_an_accusation_not_a_denial():
    decision = route("东厦镇。村支书说我家不能报危房，因为我没给他送礼。")
    assert decision.discipline_clue and decision.accused_unit == "dongxia"
    # 没领到 is nothing to do with a leader (领导).
    assert "领导" not in ROUTER.reading.read("救灾物资我家一样都没领到")


def test_home_named_right_after_the_town_is_the_houses():
    decision = route("我在开发区打工，替马铺乡老家的父母反映。新纳入贫困户两个多月了，一直没人来做房屋鉴定。")
    assert decision.township == "mapu"


def test_what_the_writer_says_is_not_the_main_issue_is_not():
    decision = route("陈岱镇的。我家房子下雨会漏，但这不是最要紧的，漏雨我们自己拿盆接就行。"
                     "要紧的是承重墙从窗角斜着裂下去好几道大缝，门都关不上了。")
    assert decision.category == "dangerous-house" and decision.lead_unit == "housing"


def test_where_words_are_heard_only_as_written():
    # 家宅 sounds like 家在 (where the house is); read so, it swallowed the 宅 of 宅基地.
    decision = route("莆美镇，我家宅机地审批的事，申请一年多了，自然资原局说要镇里先盖章。")
    assert decision.category == "land-and-geohazard" and decision.lead_unit == "natural-resources"


def test_worrying_about_the_house_is_no_new_house():
    # 担心房子 sounds like 担新房子: no household with a new house to move to.
    assert "新房" not in ROUTER.reading.read("我们不急，就是担心房子")
    decision = route("我们家去年刚评为贫困户，但房子的安全鉴定一直没做。我们不急，就是担心房子。东厦镇。")
    assert decision.category == "appraisal-overdue"


def test_a_bank_fee_and_a_pinyin_order_to_keep_quiet_are_read_as_such():
    assert not route("和平乡 我的危改补助到账了 可是少了2块钱 村里说是银行转账的短信手续费").discipline_clue
    decision = route("kai fa qu guan wei hui de gan bu wei le ying fu shang mian jian cha, gua le "
                     "'an quan' de pai zi, hai rang wo bie luan shuo, zhe shi zao jia")
    assert decision.discipline_clue


def test_a_new_house_and_someone_living_on_in_the_old_one_is_still_living_in_danger():
    decision = TABLE_ALONE.route(Draft(text="东厦镇，我叔叔家政府帮建的新房空了两年，他一家人又搬回"
                                            "旧土房里住，墙都裂了，我们很担心。"))
    assert decision.category == "still-living-in-danger" and decision.lead_unit == "dongxia"
    # Living in the new one, the old one standing empty, is no such case.
    decision = TABLE_ALONE.route(Draft(text="东厦镇，我们一家搬进新房了，没住在老房里，老房墙裂了要不要拆？"))
    assert decision.category != "still-living-in-danger"


def test_him_sentences_later_is_still_the_official_until_someone_else_is_named():
    text = ("我是和平乡的，改造申请是村会计帮我交的。房子修好一年了。补助一直没发下来。"
            "后来他跟我说，要先拿八百块给他才好办。")
    decision = TABLE_ALONE.route(Draft(text=text))
    assert decision.discipline_clue and decision.accused_unit == "heping"
    text = ("我是和平乡的，改造申请是村会计帮我交的。房子是包工头老李盖的，质量很差。"
            "后来他跟我说，要先拿八百块给他才肯返工。")
    assert not TABLE_ALONE.route(Draft(text=text)).discipline_clue


@pytest.mark.parametrize(("text", "accused"), [
    # a unit's staff named by surname
    ("莆美镇，县住建局的老郑来看过房子，说要评上危改得先拿两千块给他。", "housing"),
    # punishing a writer for complaining
    ("列屿镇，我去县里反映危房的事，村主任知道了，说我爱告状，要把我家低保停掉。", "lieyu"),
    # an official's relative written with 他
    ("陈岱镇，今年的危改名额给了村主任他老丈人家，我家土房快倒了也没评上。", "chendai"),
    # holding a grudge for a complaint
    ("下河乡，我去年反映过村书记的事，他就记恨在心，说我家的危改别想了。", "xiahe"),
    # two people a unit sent, a photo at the door, a report that says they looked inside
    ("东厦镇，县住建局派来两个人做鉴定，根本没进门，拍了张照片就走，报告上却写已入户查看。", "housing"),
    # an official who takes from a builder, in a sentence without a subject
    ("东厦镇。镇里管危改的干部真不像话！拿了包工头的好处，验收时看都不看就签。", "dongxia"),
    # a relative right after the post, without 的
    ("火田镇，村主任外甥占了我家的危改名额。", "huotian"),
    # a threat to one who complains again
    ("马铺乡，乡里管低保的干部跟我说：你再往上面反映，你家的补助就给你取消。", "mapu"),
    # fees no service has: paid to "smooth" or "coordinate" it
    ("和平乡的房子要批宅基地，副乡长说得先给两千块疏通费。", "heping"),
    # no receipt is no denial of the money (没有收据 holds 没有收)
    ("云陵镇，村会计说要先交五百块才给报危改，交了也没有收据。", "yunling"),
])
def test_misconduct_is_read_and_its_unit_accused(text, accused):
    decision = TABLE_ALONE.route(Draft(text=text))
    assert decision.discipline_clue and decision.accused_unit == accused


def test_a_town_followed_by_its_old_house_is_where_the_house_is():
    # In Minnan: "I live at my son's in 陈岱镇 now; our old house in 列屿镇 leaks."
    decision = TABLE_ALONE.route(Draft(text="我这马蹛陈岱镇阮囝兜，阮列屿镇的旧厝落雨就漏，壁无裂。"))
    assert decision.township == "lieyu"


def test_shoddy_materials_need_a_product_or_a_seller():
    decision = TABLE_ALONE.route(Draft(text="下河乡，我家的房梁被白蚁蛀空了，一碰就掉粉，墙也裂了。"))
    assert decision.category == "dangerous-house"
    decision = TABLE_ALONE.route(Draft(text="下河乡，在镇上建材店买的水泥一碰就掉粉，房子刚修就起砂。"))
    assert decision.category == "building-materials"


def test_left_without_a_quota_is_household_data():
    decision = TABLE_ALONE.route(Draft(text="火田镇，我家土房快倒了，申请危改，村里说今年没名额。"))
    assert decision.category == "household-data" and decision.lead_unit == "poverty-office"


def test_adding_rebar_is_no_fake_rebar():
    assert "假钢筋" not in ROUTER.reading.read("包工头说要加钢筋，多收了钱")


def test_a_shop_owner_or_a_builder_asking_for_money_is_no_official():
    text = "火田镇街上那家建材店的老板说，要好一点的水泥就得多给他三百块好处费。"
    assert not TABLE_ALONE.route(Draft(text=text)).discipline_clue


def test_an_accusation_the_writer_takes_back_raises_no_clue():
    text = "上次说村支书把名额给了他侄子，后来问清楚了，是按规定评上的，这个我收回。我家房子漏雨，和平乡。"
    assert not TABLE_ALONE.route(Draft(text=text)).discipline_clue


def test_a_hazard_the_writer_says_is_fine_is_not_the_case():
    decision = TABLE_ALONE.route(Draft(text="列屿镇，屋后的挡土墙是好的，问题在房子本身：外墙往外歪，"
                                            "用木头顶着。"))
    assert decision.category == "dangerous-house"


def test_pinyin_initials_and_a_soldier_in_the_family_are_read():
    decision = TABLE_ALONE.route(Draft(text="huotian zhen, wo jia shi dbh, fang zi lou yu"))
    assert "civil-affairs" in decision.co_units
    decision = TABLE_ALONE.route(Draft(text="莆美镇，台风把屋顶掀了。我孙子在部队当兵。"))
    assert "veterans" in decision.co_units


@pytest.mark.parametrize("text", ["村支书管危房改造。工程都是他承包的，他收了回扣。",
                                  "村主任收了我们的钱。他跟施工队老板串通，收了好处费。"])
def test_an_official_dealing_with_a_builder_is_still_the_official(text):
    assert TABLE_ALONE.route(Draft(text=text)).discipline_clue


def test_a_threat_by_an_accused_official_leaves_the_case_about_the_house():
    text = ("莆美镇，我家老房墙裂得很厉害，快倒了。镇里的干部说我们再到处投诉就把低保取消，"
            "你们再投诉试试，这不是吓唬人吗？先派人来看房子。")
    decision = TABLE_ALONE.route(Draft(text=text))
    assert decision.discipline_clue and decision.category == "dangerous-house"
    # The writer asking for the police keeps it a police matter.
    decision = TABLE_ALONE.route(Draft(text=text.replace("先派人来看房子", "请公安来处理")))
    assert decision.category == "public-order"


def test_someone_posing_as_an_official_nobody_knows_is_a_swindler():
    text = "那个收了我们八百块、说能帮办危改的乡干部，乡政府说根本没有这个人。下河乡。"
    decision = TABLE_ALONE.route(Draft(text=text))
    assert decision.category == "public-order" and not decision.discipline_clue


def test_minnan_home_and_builder_mixed_script_and_place_typos_are_read():
    assert TABLE_ALONE.route(Draft(text="阮后生佇云陵做工，阮兜佇和平乡，厝漏水。")).township == "heping"
    decision = TABLE_ALONE.route(Draft(text="东厦镇，做厝的师傅做了半年，壁歪去，叫伊返工伊毋肯。"))
    assert decision.category == "construction-quality"
    decision = TABLE_ALONE.route(Draft(text="陈岱镇，我家和隔壁share一堵墙，墙裂了，隔壁不肯配合加固。"))
    assert decision.category == "attached-house"
    assert TABLE_ALONE.route(Draft(text="马捕乡的房子漏雨")).township == "mapu"


def test_painting_is_no_missing_share():
    text = "下河乡，新房墙都没有粉刷完，就说验收合格了，我要求重新验收。"
    assert TABLE_ALONE.route(Draft(text=text)).category == "renovation-procedure"


def test_a_quota_taken_from_the_writer_is_household_data():
    decision = TABLE_ALONE.route(Draft(text="列屿镇，今年的危改名额被人占了，我家房子裂成这样。"))
    assert decision.category == "household-data"


@pytest.mark.parametrize("text", [
    "云陵镇，村干部来看过房子。拍了张照片就走了，到现在没人管。",
    "火田镇，镇干部来看了。统筹安排到明年再说。",
    "陈岱镇，村主任来过了。签字的表格交上去三个月了还没批。",
])
def test_a_sentence_opening_with_an_act_accuses_nobody_where_no_money_or_favour_is_named(text):
    assert not TABLE_ALONE.route(Draft(text=text)).discipline_clue


def test_a_family_without_the_means_is_not_left_off_a_list():
    decision = TABLE_ALONE.route(Draft(text="马铺乡，我家是危改户，我家没有能力自己加固，墙裂了。"))
    assert decision.category == "dangerous-house"


@pytest.mark.parametrize("text", [
    "和平乡，村主任把今年的改造名额给了他外甥，我家墙都裂了还是排不上。",
    "东厦镇，镇里的干部把自己的堂哥弄进了危改名单，他家是新盖的楼。",
    "陈岱镇，村会计收了钱，把名额塞进了他亲家，我家房子快倒了。",
])
def test_a_quota_someone_else_got_by_favour_is_household_data_and_a_clue(text):
    decision = TABLE_ALONE.route(Draft(text=text))
    assert decision.category == "household-data" and decision.discipline_clue


def test_a_writer_who_blames_nobody_raises_no_clue():
    text = ("马铺乡，住建的系统说我家的房子已经改造过了，可是根本没动过，扶贫的系统又写着没改造。"
            "我不是说有谁故意的，只想把数据改对。")
    decision = TABLE_ALONE.route(Draft(text=text))
    assert decision.category == "household-data" and not decision.discipline_clue


@pytest.mark.parametrize("text", [
    "开发区帮扶干部反映：这户的安全牌还没挂，上面检查时说要扣分。",
    "云陵镇，镇里说补助打到卡上了，卡里只被扣了两笔小额账户管理费，补助钱没看到。",
])
def test_points_off_and_a_bank_fee_are_no_money_kept_back(text):
    assert not TABLE_ALONE.route(Draft(text=text)).discipline_clue


@pytest.mark.parametrize(("text", "clue"), [
    ("下河乡，自然资源局窗口办事的人说交两千块加急费就能批宅基地，我没给，材料就一直压着。", True),
    ("马铺乡，来鉴定房子的人说给他三百块就评C级，不给就评B级。", True),
    ("火田镇，县民政局工作人员说交八百元可帮我列入改造名单，至今未列入。", True),
    ("列屿镇，村主任说我再往上告，就让我家低保也停了，房子的事到现在没人来看。", True),
])
def test_fees_for_a_favour_and_threats_are_read(text, clue):
    assert TABLE_ALONE.route(Draft(text=text)).discipline_clue is clue


def test_a_hill_that_cracks_thanks_and_where_the_caller_lives_are_read():
    decision = TABLE_ALONE.route(Draft(text="莆美镇，屋后那座山裂开了，下雨天一直往下掉石子。"))
    assert decision.category == "land-and-geohazard"
    decision = TABLE_ALONE.route(Draft(text="陈岱镇的老党员，房子修好了，特地来表示感谢，没什么要办的。"))
    assert decision.category == "other"
    decision = TABLE_ALONE.route(Draft(text="来电人（现居云陵镇）：其父独居火田镇老宅，后墙开裂。"))
    assert decision.township == "huotian"


def test_a_denied_complaint_is_not_the_case_whatever_its_kind():
    text = "陈岱镇，不是隔壁不配合！隔壁早就同意了，卡在审批，交上去四个月还没批。"
    assert TABLE_ALONE.route(Draft(text=text)).category == "renovation-procedure"


def test_a_builder_called_a_swindler_is_abused_not_accused_of_fraud():
    decision = TABLE_ALONE.route(Draft(text="下河乡，那个包工头就是骗子！！房子刚盖好墙就歪了，返工也不来。"))
    assert decision.category == "construction-quality"
    assert any(reason.rule == "said-of-a-builder-or-seller" for reason in decision.reasons)
    # Without a builder or seller named, a swindler is one.
    decision = TABLE_ALONE.route(Draft(text="下河乡，有个骗子说能帮办危改，收了我们五百块。"))
    assert decision.category == "public-order"


@pytest.mark.parametrize("text", [
    "莆美镇，村主任把危改指标给了他亲家，我们家还住着土坯房。",
    "和平乡，补录名额本来报的是我家，后来镇里的人把我换掉了，换成了他表弟家。",
])
def test_an_officials_relative_on_the_list_is_household_data(text):
    decision = TABLE_ALONE.route(Draft(text=text))
    assert decision.category == "household-data" and decision.discipline_clue


@pytest.mark.parametrize(("text", "category"), [
    ("列屿镇，阮厝佮隔壁是相黏的，中央的墙裂甲真阔。", "attached-house"),
    ("东厦镇，我和我弟两家中间那面墙歪了，他不肯动。", "attached-house"),
    ("马铺乡，昨暝雷雨辟到阮厝，墙裂了。", "disaster-damage"),
    ("火田镇，鉴定说房子安全，就是屋顶又漏了，下雨全是水。", "leaks-drafts"),
    ("开发区，买的商品房开发商拖着不交房。", "other"),
])
def test_more_ways_of_saying_the_categories(text, category):
    assert TABLE_ALONE.route(Draft(text=text)).category == category


@pytest.mark.parametrize("text", [
    "云陵镇，村主任说我再打电话投诉就把低保取消，我家墙裂了。",
    "下河乡，县住建局的鉴定员车都没下就写了个B级走了，我家梁都断了。",
    "陈岱镇，最后一笔尾款村支书说先放他那里，半年了还不给。",
    "列屿镇，我反映了漏雨，村主任就骂我，说以后补助都别想轮到我。",
    "莆美镇，牌子是村文书自己在办公室填好钉上的，根本没人来看过。",
])
def test_more_acts_of_officials_are_read(text):
    assert TABLE_ALONE.route(Draft(text=text)).discipline_clue


@pytest.mark.parametrize("text", [
    "莆美镇，村里说宅基地要我们兄弟三个都签字才行，到底归谁？",
    "下河乡，五保户大舅的申请表要有人代签，代签人要有委托书吗？",
])
def test_a_signature_the_rules_ask_for_is_no_forgery(text):
    assert not TABLE_ALONE.route(Draft(text=text)).discipline_clue


def test_a_new_building_is_not_heard_as_left_off_the_list():
    text = "陈岱镇，村主任把自家新楼报成危改户，领了补助，那房子一块砖都没动过。"
    decision = TABLE_ALONE.route(Draft(text=text))
    assert decision.discipline_clue and decision.category != "household-data"


@pytest.mark.parametrize(("text", "category"), [
    ("莆美镇，供货商送来的涂料，厂家说根本没有这个批号，是假冒的。", "building-materials"),
    ("东厦镇，砖是正规店买的，都是合格的，问题在包工头偷工减料，墙一推就晃。", "construction-quality"),
    ("列屿镇，我们根本没有新房，就一间老房子，墙缝越来越大。", "dangerous-house"),
    ("云陵镇，房子很结实，就是屋顶防水层坏了，下雨天水顺着墙往下流。", "leaks-drafts"),
    ("云陵镇，改造好的房子才住半年，腻子大块脱落，卫生间往楼下渗水，施工队老板不接电话。",
     "construction-quality"),
    ("下河乡，隔壁村霸拿锄头把我老公头打破了，报了警没人管。", "public-order"),
    ("陈岱镇街上一家五金建材行，钢筋比标准细了一圈，都浇进圈梁里了。", "building-materials"),
    ("火田镇老黄，去年房子危改，新房子住得安心，想说声感谢。", "other"),
    ("列屿镇村口的水泥路坏了好几个坑，找谁修？", "other"),
    ("和平乡，有人加微信说是县扶贫办的，要了银行卡号，卡里三千块被转走了。", "public-order"),
    ("马铺乡，暴雨溪水漫进屋里，墙脚泡酥了，后面的山没事。", "disaster-damage"),
])
def test_the_categories_at_their_boundaries(text, category):
    assert TABLE_ALONE.route(Draft(text=text)).category == category


@pytest.mark.parametrize("text", [
    "火田镇，名额本来说给我家，结果公布出来变成了村长他外甥家。",
    "县住建局来验收的人架子大！开口就要两条中华，不给就不合格。马铺乡。",
    "列屿镇，帮扶我家的干部把我的一卡通拿走了，钱被取了一万五。",
    "dong xia zhen, zjj de ren yao wo jiao 500 kuai xiu gai fei",
])
def test_officials_acts_in_more_words(text):
    decision = TABLE_ALONE.route(Draft(text=text))
    assert decision.discipline_clue and decision.category != "public-order"


@pytest.mark.parametrize(("text", "category"), [
    ("火田镇，明额说好给我家的，结果给了村主任的亲戚，我家没评上。", "household-data"),
    ("下河乡，包公头做的墙歪的，返工要我再加两千块才肯干。", "construction-quality"),
])
def test_people_and_quotas_are_heard_when_miswritten(text, category):
    """A noun that is also a category's word (包工头, 名额) is heard through a homophone typo,
    and a builder heard so is no official."""
    decision = TABLE_ALONE.route(Draft(text=text))
    assert decision.category == category
    assert decision.discipline_clue == (category == "household-data")


@pytest.mark.parametrize("text", [
    "云陵镇，镇上管房子的那个人说要我送两瓶酒，不然验收不给过。",
    "东厦镇，补助卡被村委统一保管，拿回来一看少了三千。",
    "和平乡，村会计说补助下来要拿出一部分给村里，不然不给报。",
    "列屿镇，村里管账的总说还要再走动走动，才好办。",
])
def test_posts_in_everyday_words_and_their_acts(text):
    assert TABLE_ALONE.route(Draft(text=text)).discipline_clue


@pytest.mark.parametrize(("text", "clue", "category"), [
    # hearsay about where a cadre comes from is no one posing as an official
    ("马铺乡，帮扶干部听说是县里派来的，他让我在空白的纸上按手印，后来成了验收合格的证明。",
     True, "renovation-procedure"),
    # the neighbours' signatures the rules ask for
    ("马铺乡，宅基地材料交到乡里半年，一会儿说要补四邻签字，到现在批不下来。",
     False, "land-and-geohazard"),
    # a leak the writer can fix alone is set aside; the main issue is what follows 问题是
    ("下河乡，屋顶有点漏，我自己能补。问题是改造验收过了半年补助还没发。",
     False, "renovation-procedure"),
])
def test_what_the_writer_means(text, clue, category):
    decision = TABLE_ALONE.route(Draft(text=text))
    assert (decision.discipline_clue, decision.category) == (clue, category)


@pytest.mark.parametrize("text", [
    "东厦镇，隔壁那户占了我家宅基地盖猪圈，还说他表哥是村干部，告也没用。",
    "火田镇，垃圾施工队！屋顶又漏了，找他们返工就推，收钱的时候倒是积极得很！",
])
def test_who_boasts_of_an_official_or_works_for_pay_is_no_official(text):
    assert not TABLE_ALONE.route(Draft(text=text)).discipline_clue


@pytest.mark.parametrize("text", [
    "马铺乡，村会计拿了一张空白的表让我按手印，补助剩下的说是村里统一管理。",
    "和平乡，挂钩干部每次来都要我们送土鸡，不送就说不帮报改造。",
    "火田鎮，今年名單上有兩戶為村支書之親兄弟，真正住危房的老人榜上無名。",
    "云陵镇，村文书 deliberately 把我家宅基地登记少了，多出来那块 given to 他 cousin。",
])
def test_more_acts_and_how_they_are_written(text):
    assert TABLE_ALONE.route(Draft(text=text)).discipline_clue


@pytest.mark.parametrize(("text", "clue"), [
    # a writer who insists the official was real is not saying he posed as one
    ("和平乡。不是骗子，真的是乡里的干部，上门说办危改申请要交两百元手续费。", True),
    # a writer who says the official did not know, or that they wronged him, accuses nobody
    ("东厦镇，工地的钢筋少了，是村主任的侄子拉走的，他侄子就是个闲人，村主任应该不知道。", False),
    ("陈岱镇，上次说村会计扣了补助，我冤枉人家了，是我儿子代领的。尾款还没发。", False),
    ("下河鄉政府管民政的幹部把我家從名單上拿掉了，還說你不是會告嗎，擺明是報復。", True),
    ("云陵镇负责验收的干部说不请吃一顿饭谁有空跑你那。", True),
])
def test_who_is_accused_and_who_is_cleared(text, clue):
    assert TABLE_ALONE.route(Draft(text=text)).discipline_clue == clue


@pytest.mark.parametrize(("text", "category", "township"), [
    ("【短信1】火田镇，我家老房子后墙裂开一条大缝。【短信2】上条写错了，我在火田镇上班，房子其实在下河乡。",
     "dangerous-house", "xiahe"),
    ("刚才说房子裂了 那个不对 缝是早就补过的 真正的问题是每次下雨客厅都漏 地上要摆两个盆接 莆美镇",
     "leaks-drafts", "pumei"),
    ("和平乡的，易地搬迁分到安置小区一套房，我爸妈又搬回山上的老房子住。", "still-living-in-danger",
     "heping"),
])
def test_corrections_and_what_the_writer_means_now(text, category, township):
    decision = TABLE_ALONE.route(Draft(text=text))
    assert (decision.category, decision.township) == (category, township)


@pytest.mark.parametrize(("text", "clue"), [
    # a retraction clears what came before it, not what follows
    ("陈岱镇。我之前连镇长一起告了，这个我收回，镇长是个好人，我冤枉他了。但是村会计扣我三千块补助是真的，钱到现在不还！",
     True),
    ("列屿镇。村主任的堂弟今年也拿到指标，他家房子确实很破，我没有意见，只想把我家资料改正。", False),
    ("莆美镇，镇里来人验收过、签了字，补助八个月没到。我不是说谁拿了这笔钱，就想知道卡在哪一步。", False),
    ("云陵镇，补助比公示少了2块，问了是银行跨行转账手续费，不是村里扣的。", False),
    # a fee without a receipt, the staff who came to appraise, an official who kept the gifts
    ("下河乡，村文书来挂安全牌，每户收50块工本费，没有收据。", True),
    ("陈岱镇，来了个鉴定技术员，转一圈说要给他八百块才出报告。", True),
    ("开发区管委会管危改的林某，中秋我送了一箱酒过去，他收得好好的，申请到现在还卡着。", True),
])
def test_retractions_and_more_ways_to_accuse(text, clue):
    assert TABLE_ALONE.route(Draft(text=text)).discipline_clue == clue


@pytest.mark.parametrize(("text", "category"), [
    ("yun ling zhen de, fang zi bu shi wei fang, jiu shi wu ding lou yu, mei ci xia yu chuang shang shi shui",
     "leaks-drafts"),
    ("前几日落大雨，溪水涨起来，下河乡阮兜规间厝淹甲腰遐悬，土壁浸甲软去。", "disaster-damage"),
    ("陈岱镇，村里在安置点给爷爷分了新房，检查完又把他送回老房子住。", "still-living-in-danger"),
])
def test_negations_typed_in_pinyin_floods_in_minnan_and_the_old_house(text, category):
    assert TABLE_ALONE.route(Draft(text=text)).category == category


def test_a_category_outranked_but_said_more_often_leaves_the_choice_to_the_lead_unit():
    """The table's order (a typhoon before a leak) is a default: where the leak is said three
    times and the typhoon once, the engine keeps its choice but does not claim to be sure."""
    text = "下河乡，房子结构没问题，就是屋顶漏雨，一下雨就滴水，地上摆了三个盆，刮台风的时候更厉害。"
    decision = TABLE_ALONE.route(Draft(text=text))
    assert decision.needs_triage
    assert any(reason.rule.startswith("outweighed-by") for reason in decision.reasons)
    alone = TABLE_ALONE.route(Draft(text="下河乡，台风把屋顶瓦片掀了，下雨漏水。"))
    assert not any(reason.rule.startswith("outweighed-by") for reason in alone.reasons)


@pytest.mark.parametrize(("text", "clue"), [
    # a question that expects yes affirms the misconduct it names
    ("陈岱镇，我家是C级危房，村文书却钉了块安全的牌子，说上面要完成率。这不是造假吗？", True),
    ("开发区，县住建局派来验收的人连车都没下，看了两眼就签合格。", True),
    ("和平乡，补助到手少了五千，村主任说是他垫的材料钱，可材料是我们自己买的。", True),
    ("马铺乡，我没说村干部拿钱，也不是要告谁，就是申请交上去两个月没消息。", False),
    ("阮阿叔个新厝好矣，锁匙嘛提去矣，火田镇政府起的。", False),
])
def test_questions_acts_and_keys(text, clue):
    assert TABLE_ALONE.route(Draft(text=text)).discipline_clue == clue


@pytest.mark.parametrize(("text", "category", "township"), [
    ("東廈鎮，伯父的新房兩個月前就交鑰匙了，他還窩在那間牆已經歪掉的老土屋裡。", "still-living-in-danger",
     "dongxia"),
    ("我係下河鄉人，阿媽嘅資料喺住建個系統同扶貧個系統唔一樣。", "household-data", "xiahe"),
    ("我被侄子接到火田镇他家住，可我在莆美那间老屋后墙往外鼓，屋梁断了。", "dangerous-house", "pumei"),
])
def test_where_and_what_in_more_voices(text, category, township):
    decision = TABLE_ALONE.route(Draft(text=text))
    assert (decision.category, decision.township) == (category, township)


@pytest.mark.parametrize(("text", "clue", "category"), [
    ("村支书的侄子是包工头，给我家做的墙都是歪的。说句公道话，这事跟支书没关系，是他侄子自己接的活。陈岱镇。",
     False, "construction-quality"),
    ("村主任的儿子喝醉了把我家窗户砸了，这是他儿子个人的行为，村主任也来道歉了。下河乡。", False,
     "public-order"),
    ("发大水那次我家泡了三天，村干部登记灾情的时候专门跳过我家。", True, "disaster-damage"),
])
def test_the_official_or_his_relative_alone(text, clue, category):
    decision = TABLE_ALONE.route(Draft(text=text))
    assert (decision.discipline_clue, decision.category) == (clue, category)


@pytest.mark.parametrize(("text", "category"), [
    ("莆美鎮，房子蓋在半山腰，但那片山坡很穩，幾十年從來沒滑過，是房子太舊，牆裂了。", "dangerous-house"),
    ("扶貧的系統內底阮兜人口寫三个，實際是五个人。厝佇馬鋪鄉。", "household-data"),
    ("陈岱镇，墙和柱子都结实，就是屋顶瓦片老是漏，一下雨床铺就湿。", "leaks-drafts"),
])
def test_a_steady_hill_a_record_and_a_leak(text, category):
    assert TABLE_ALONE.route(Draft(text=text)).category == category


def test_a_writer_who_first_took_the_official_for_a_swindler_accuses_him():
    text = ("我一开始以为是骗子，后来打听清楚了，就是镇里那个干部本人，收了我家一千块指标费"
            "才把申请报上去。下河乡。")
    decision = TABLE_ALONE.route(Draft(text=text))
    assert decision.discipline_clue and decision.category != "public-order"
