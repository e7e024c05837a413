"""Realistic complaints with the decision a dispatcher expects (see issue 3)."""

# Each case: "text" (required), optional structured fields typed by a form or
# an operator ("township", "category", "household"; they win over the text),
# and "expect" holding only what a careful human dispatcher would be sure of.
# co_units is compared as a set; it is left out where it is not clear-cut
# (for example whenever a discipline clue is present, since the rules do not
# say whether the discipline commission joins the participating units).

CASES = [
    # ------------------------------------------------------------------
    # dangerous-house: lead housing, co-unit the township
    # ------------------------------------------------------------------
    {
        "text": "我是火田镇的，家里土坯房墙裂了好大一条缝，下雨天怕倒",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "huotian",
                   "co_units": ["huotian"], "discipline_clue": False, "needs_triage": False},
    },
    {
        "text": "来电人称：其住云陵镇某村，老房子后墙向外倾斜约10公分，担心倒塌，要求派人查看。联系电话13859612345",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "yunling",
                   "co_units": ["yunling"], "discipline_clue": False, "needs_triage": False},
    },
    {
        "text": "wo jia zai 马铺 老房子fang zi lie le 墙都歪了快蹋了 快来人看看",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "mapu",
                   "co_units": ["mapu"], "discipline_clue": False},
    },
    {
        "text": "去年就鉴定为D级危防了，到现在一年多了还没给改造，东厦的",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "dongxia",
                   "co_units": ["dongxia"], "discipline_clue": False},
    },
    {
        "text": "村口那间老危房没人住也没拆，墙都塌一半了，小孩子天天在旁边玩，太危险了。陈岱",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "chendai",
                   "co_units": ["chendai"], "discipline_clue": False},
    },
    {
        "text": "房子裂缝越来越大了，晚上都听到咔咔响，怎么办啊",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": None,
                   "co_units": [], "discipline_clue": False},
    },
    {
        "text": ("我今年八十三了，老伴走了好几年，孩子都在外面打工，就我一个人住。"
                 "屋里的木头梁被白蚁吃空了，横梁一直往下沉，门也关不上了，"
                 "晚上睡觉都不敢睡踏实，怕哪天压到人。家住列屿镇，麻烦政府派人来看看，"
                 "我耳朵不好，打电话要大声点，13405961122"),
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "lieyu",
                   "co_units": ["lieyu"], "discipline_clue": False},
    },
    {
        "text": "我是低保户，住在下河乡，房子是五十年代的土坯房，墙体开裂，楼板也裂了",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "xiahe",
                   "household": "minimum-allowance", "co_units": ["xiahe", "civil-affairs"],
                   "discipline_clue": False},
    },
    {
        "text": "开发区这边 我家老厝柱子歪了 墙也裂开 怕要倒",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "econ-zone",
                   "co_units": ["econ-zone"], "discipline_clue": False},
    },
    {
        "text": "本人系烈士家属，居住莆美镇，房屋年久失修，承重墙出现多处裂缝，恳请政府帮助鉴定改造。",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "pumei",
                   "household": "entitled-groups", "co_units": ["pumei", "veterans"],
                   "discipline_clue": False},
    },
    {
        "text": "阮兜的厝 壁裂开足大一缝 伊讲会倒 火田",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "huotian",
                   "co_units": ["huotian"], "discipline_clue": False},
    },
    {
        "text": "东厦镇 自建房３楼楼板裂了一条缝，1楼柱子也有裂，电话:13912345678",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "dongxia",
                   "co_units": ["dongxia"], "discipline_clue": False},
    },

    # ------------------------------------------------------------------
    # disaster-damage: lead housing, co-units emergency + the township
    # ------------------------------------------------------------------
    {
        "text": "昨晚台风把我家屋顶瓦片全掀了，墙也倒了一面，现在一家人没地方住，火田",
        "expect": {"category": "disaster-damage", "lead_unit": "housing", "township": "huotian",
                   "co_units": ["emergency", "huotian"], "discipline_clue": False,
                   "needs_triage": False},
    },
    {
        "text": "来电人称：7月暴雨后其房屋（马铺乡）后墙部分倒塌，无人员受伤，请求救助。",
        "expect": {"category": "disaster-damage", "lead_unit": "housing", "township": "mapu",
                   "co_units": ["emergency", "mapu"], "discipline_clue": False},
    },
    {
        "text": "发大水 家里进水一米多深 水退了墙都泡软裂开了 我们是列屿的",
        "expect": {"category": "disaster-damage", "lead_unit": "housing", "township": "lieyu",
                   "co_units": ["emergency", "lieyu"], "discipline_clue": False},
    },
    {
        "text": "台风过后房子歪了，我是五保户一个人住，求帮忙",
        "expect": {"category": "disaster-damage", "lead_unit": "housing", "township": None,
                   "household": "extremely-poor", "co_units": ["emergency", "civil-affairs"],
                   "discipline_clue": False},
    },
    {
        "text": "台風「杜苏芮」吹倒了我家厨房那面墙，云陵镇，电话：0596－8512345",
        "expect": {"category": "disaster-damage", "lead_unit": "housing", "township": "yunling",
                   "co_units": ["emergency", "yunling"], "discipline_clue": False},
    },
    {
        "text": "台风把屋顶掀了，现在一下雨就漏，安全牌也被风刮跑了，我们是和平乡的，快派人来",
        "expect": {"category": "disaster-damage", "lead_unit": "housing", "township": "heping",
                   "co_units": ["emergency", "heping"], "discipline_clue": False},
    },

    # ------------------------------------------------------------------
    # still-living-in-danger: lead the township, co-unit housing
    # ------------------------------------------------------------------
    {
        "text": "我爸妈新房都盖好半年了，还是住在旧的危房里不肯搬，劝不动，麻烦镇里来做做工作，我们是陈岱镇的",
        "expect": {"category": "still-living-in-danger", "lead_unit": "chendai", "township": "chendai",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "来电人反映：东厦镇某村一户人家已建好新房，但老人仍居住在旧危房中，存在安全隐患。",
        "expect": {"category": "still-living-in-danger", "lead_unit": "dongxia", "township": "dongxia",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "隔壁阿婆新房子有了 还天天住在那间快倒的老房子里 太危险了",
        "expect": {"category": "still-living-in-danger", "lead_unit": "housing", "township": None,
                   "needs_triage": True, "discipline_clue": False},
    },
    {
        "text": "改造的新房验收过了 我奶奶还是睡老厝 老厝是D级危房 下河",
        "expect": {"category": "still-living-in-danger", "lead_unit": "xiahe", "township": "xiahe",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "我哥是残疾人，政府帮他建了安全住房，但他还是住在原来的危房里，和平乡的",
        "expect": {"category": "still-living-in-danger", "lead_unit": "heping", "township": "heping",
                   "household": "disabled-poor", "co_units": ["housing", "disabled-federation"],
                   "discipline_clue": False},
    },

    # ------------------------------------------------------------------
    # attached-house: lead the township, co-unit housing
    # ------------------------------------------------------------------
    {
        "text": "我家和隔壁是联体房，我家要加固，隔壁不同意，说动了他家的墙就不让，现在没法施工 莆美",
        "expect": {"category": "attached-house", "lead_unit": "pumei", "township": "pumei",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "联体房 邻居不配合加固 墙一直裂 火田镇",
        "expect": {"category": "attached-house", "lead_unit": "huotian", "township": "huotian",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "我们几户连在一起的老房子（联体房），就一户不肯出钱加固，其他几户都没法弄",
        "expect": {"category": "attached-house", "lead_unit": "housing", "township": None,
                   "needs_triage": True, "discipline_clue": False},
    },
    {
        "text": "来电人称：其与邻居房屋为联体结构，邻居长期在外，不同意加固，房屋存在安全隐患，地址马铺乡。",
        "expect": {"category": "attached-house", "lead_unit": "mapu", "township": "mapu",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "经济开发区，我家是联体房，隔壁那户说不想拆也不想加固，我们家的墙靠着他家，一直加固不了",
        "expect": {"category": "attached-house", "lead_unit": "econ-zone", "township": "econ-zone",
                   "co_units": ["housing"], "discipline_clue": False},
    },

    # ------------------------------------------------------------------
    # leaks-drafts: lead the township, co-unit housing
    # ------------------------------------------------------------------
    {
        "text": "房子没有裂缝，就是漏雨，一下雨屋里就要拿盆接 云陵",
        "expect": {"category": "leaks-drafts", "lead_unit": "yunling", "township": "yunling",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "屋顶漏水 窗户关不严 冬天风呼呼往里灌 老人受不了 东厦",
        "expect": {"category": "leaks-drafts", "lead_unit": "dongxia", "township": "dongxia",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "墙是好的没裂也没歪，鉴定说是安全的，但是屋面瓦破了漏雨。列屿镇",
        "expect": {"category": "leaks-drafts", "lead_unit": "lieyu", "township": "lieyu",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "下雨天家里到处漏，房子倒是结实",
        "expect": {"category": "leaks-drafts", "lead_unit": "housing", "township": None,
                   "needs_triage": True, "discipline_clue": False},
    },
    {
        "text": "我是退伍老兵，家在陈岱，房子结构没问题，就是门窗透风漏雨，想请政府帮修一下",
        "expect": {"category": "leaks-drafts", "lead_unit": "chendai", "township": "chendai",
                   "household": "entitled-groups", "co_units": ["housing", "veterans"],
                   "discipline_clue": False},
    },
    {
        "text": "下河乡 家里屋顶lou yu了 房子倒是不危险 就是漏",
        "expect": {"category": "leaks-drafts", "lead_unit": "xiahe", "township": "xiahe",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "房子漏雨，窗户也透风，还有就是想问问补助什么时候发",
        "expect": {"category": "leaks-drafts", "lead_unit": "housing", "township": None,
                   "needs_triage": True, "discipline_clue": False},
    },

    # ------------------------------------------------------------------
    # renovation-procedure: lead housing, co-unit the township
    # ------------------------------------------------------------------
    {
        "text": "改造完半年了验收表还没签，补助钱也领不到，镇里说档案不齐 马铺乡",
        "expect": {"category": "renovation-procedure", "lead_unit": "housing", "township": "mapu",
                   "co_units": ["mapu"], "discipline_clue": False},
    },
    {
        "text": "来电人称：其危房改造审批手续至今未办完，相关申请材料不全，无法开工。住址：和平乡",
        "expect": {"category": "renovation-procedure", "lead_unit": "housing", "township": "heping",
                   "co_units": ["heping"], "discipline_clue": False},
    },
    {
        "text": "我家的危改档案资料不全，少了鉴定表和验收表，要怎么补？云陵镇",
        "expect": {"category": "renovation-procedure", "lead_unit": "housing", "township": "yunling",
                   "co_units": ["yunling"], "discipline_clue": False},
    },
    {
        "text": "房子改好了，我们在开发区，竣工验收的手续还没走完，不知道还缺什么材料",
        "expect": {"category": "renovation-procedure", "lead_unit": "housing", "township": "econ-zone",
                   "co_units": ["econ-zone"], "discipline_clue": False},
    },
    {
        "text": "危改一户一档的资料缺了好几样 审批表没盖章 莆美",
        "expect": {"category": "renovation-procedure", "lead_unit": "housing", "township": "pumei",
                   "co_units": ["pumei"], "discipline_clue": False},
    },

    # ------------------------------------------------------------------
    # appraisal-overdue: lead housing, co-unit poverty-office
    # ------------------------------------------------------------------
    {
        "text": "我家上个月刚纳入建档立卡户，到现在快两个月了还没人来给房子做鉴定 火田",
        "expect": {"category": "appraisal-overdue", "lead_unit": "housing", "township": "huotian",
                   "household": "registered-poor", "co_units": ["poverty-office"],
                   "discipline_clue": False},
    },
    {
        "text": "来电人称：其于3月新识别为建档立卡贫困户，至今已超过一个月，未开展房屋安全鉴定。地址：下河乡。",
        "expect": {"category": "appraisal-overdue", "lead_unit": "housing", "township": "xiahe",
                   "household": "registered-poor", "co_units": ["poverty-office"],
                   "discipline_clue": False},
    },
    {
        "text": "刚评上贫困户40多天了 房子的安全鉴定还没来做 莆美镇",
        "expect": {"category": "appraisal-overdue", "lead_unit": "housing", "township": "pumei",
                   "co_units": ["poverty-office"], "discipline_clue": False},
    },
    {
        "text": "新识别的建档立卡户 一个多月了 危房鉴定还没来做 wo jia fang zi hen jiu le",
        "expect": {"category": "appraisal-overdue", "lead_unit": "housing", "township": None,
                   "household": "registered-poor", "co_units": ["poverty-office"],
                   "discipline_clue": False},
    },

    # ------------------------------------------------------------------
    # household-data: lead poverty-office, co-unit housing
    # ------------------------------------------------------------------
    {
        "text": "我家条件符合危房改造，一直没被纳入改造对象，这就是应纳未纳吧，陈岱镇",
        "expect": {"category": "household-data", "lead_unit": "poverty-office", "township": "chendai",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "住建系统里我家是C级，扶贫系统里写的是安全住房，两边对不上 马铺",
        "expect": {"category": "household-data", "lead_unit": "poverty-office", "township": "mapu",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "来电人称：其为建档立卡户，住建部门与扶贫部门登记的家庭人口、房屋信息不一致，要求核实更正。地址：列屿镇",
        "expect": {"category": "household-data", "lead_unit": "poverty-office", "township": "lieyu",
                   "household": "registered-poor", "co_units": ["housing"],
                   "discipline_clue": False},
    },
    {
        "text": "低保户 应纳未纳 我家没在危改名单里 和平",
        "expect": {"category": "household-data", "lead_unit": "poverty-office", "township": "heping",
                   "household": "minimum-allowance", "co_units": ["housing", "civil-affairs"],
                   "discipline_clue": False},
    },
    {
        "text": "扶贫办的数据和住建局的不一样，我家户主名字都写错了",
        "expect": {"category": "household-data", "lead_unit": "poverty-office", "township": None,
                   "co_units": ["housing"], "discipline_clue": False},
    },

    # ------------------------------------------------------------------
    # safety-plate: lead the township, co-unit housing
    # ------------------------------------------------------------------
    {
        "text": "我家改造完了，安全状况牌一直没挂，云陵镇",
        "expect": {"category": "safety-plate", "lead_unit": "yunling", "township": "yunling",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "来电人称：下河乡部分农户房屋未按要求挂牌上墙。",
        "expect": {"category": "safety-plate", "lead_unit": "xiahe", "township": "xiahe",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "房子安全等级的牌子到现在都没挂上墙",
        "expect": {"category": "safety-plate", "lead_unit": "housing", "township": None,
                   "needs_triage": True, "discipline_clue": False},
    },
    {
        "text": "开发区 我们这片都没挂安全状况牌 别的地方都挂了",
        "expect": {"category": "safety-plate", "lead_unit": "econ-zone", "township": "econ-zone",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "莆美镇 老人家门口的安全状况牌到现在还没挂",
        "expect": {"category": "safety-plate", "lead_unit": "pumei", "township": "pumei",
                   "co_units": ["housing"], "discipline_clue": False},
    },

    # ------------------------------------------------------------------
    # construction-quality: lead housing, co-unit the township
    # (a builder cutting corners is not an official: no discipline clue)
    # ------------------------------------------------------------------
    {
        "text": "施工队偷工减料，墙里钢筋放得很少，刚改好就裂了，火田镇",
        "expect": {"category": "construction-quality", "lead_unit": "housing", "township": "huotian",
                   "co_units": ["huotian"], "discipline_clue": False},
    },
    {
        "text": "改造的房子墙砌得歪歪扭扭，砂浆都没抹满，包工头糊弄人 东厦",
        "expect": {"category": "construction-quality", "lead_unit": "housing", "township": "dongxia",
                   "co_units": ["dongxia"], "discipline_clue": False},
    },
    {
        "text": "来电人称：其房屋加固工程完工不到三个月，屋面砂浆起壳、墙体空鼓，怀疑施工方未按图纸施工。地址：和平乡。",
        "expect": {"category": "construction-quality", "lead_unit": "housing", "township": "heping",
                   "co_units": ["heping"], "discipline_clue": False},
    },
    {
        "text": "我家在开发区，施工队地基都没挖够深就开始砌墙了，这样能安全吗",
        "expect": {"category": "construction-quality", "lead_unit": "housing", "township": "econ-zone",
                   "co_units": ["econ-zone"], "discipline_clue": False},
    },
    {
        "text": "请的施工队偷工减料 梁柱尺寸比图纸小一圈",
        "expect": {"category": "construction-quality", "lead_unit": "housing", "township": None,
                   "co_units": [], "discipline_clue": False},
    },

    # ------------------------------------------------------------------
    # building-materials: lead market, co-unit housing
    # ------------------------------------------------------------------
    {
        "text": "在镇上建材店买的水泥是假的，一点都不结块，老板不认账 陈岱镇",
        "expect": {"category": "building-materials", "lead_unit": "market", "township": "chendai",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "来电人称：其在某建材市场购买的钢筋经检测不合格，用于危房改造，要求查处销售方。地址：云陵镇",
        "expect": {"category": "building-materials", "lead_unit": "market", "township": "yunling",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "买的瓦片质量太差 一踩就碎 店家说是正品 骗人 列屿",
        "expect": {"category": "building-materials", "lead_unit": "market", "township": "lieyu",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "我是残疾人，家里改造买的砖是劣质砖，一碰就掉渣，卖砖的不给退 马铺",
        "expect": {"category": "building-materials", "lead_unit": "market", "township": "mapu",
                   "household": "disabled-poor", "co_units": ["housing", "disabled-federation"],
                   "discipline_clue": False},
    },
    {
        "text": "建材店卖假冒伪劣的防水涂料，刷上去跟水一样！！",
        "expect": {"category": "building-materials", "lead_unit": "market", "township": None,
                   "co_units": ["housing"], "discipline_clue": False},
    },

    # ------------------------------------------------------------------
    # land-and-geohazard: lead natural-resources, co-unit the township
    # ------------------------------------------------------------------
    {
        "text": "我家后山有一条大裂缝，怕滑坡压到房子，下河乡",
        "expect": {"category": "land-and-geohazard", "lead_unit": "natural-resources", "township": "xiahe",
                   "co_units": ["xiahe"], "discipline_clue": False},
    },
    {
        "text": "宅基地申请交上去半年了还没批，危房拆了新房没法建 火田",
        "expect": {"category": "land-and-geohazard", "lead_unit": "natural-resources", "township": "huotian",
                   "co_units": ["huotian"], "discipline_clue": False},
    },
    {
        "text": "来电人称：和平乡某村房屋后方边坡存在崩塌隐患，已有落石，请求排查地质灾害。",
        "expect": {"category": "land-and-geohazard", "lead_unit": "natural-resources", "township": "heping",
                   "co_units": ["heping"], "discipline_clue": False},
    },
    {
        "text": "想问宅基地审批要什么材料 我要在原址重建 东厦镇",
        "expect": {"category": "land-and-geohazard", "lead_unit": "natural-resources", "township": "dongxia",
                   "co_units": ["dongxia"], "discipline_clue": False},
    },
    {
        "text": "开发区 房子后面的山坡一直往下溜土石 怕泥石流",
        "expect": {"category": "land-and-geohazard", "lead_unit": "natural-resources", "township": "econ-zone",
                   "co_units": ["econ-zone"], "discipline_clue": False},
    },

    # ------------------------------------------------------------------
    # public-order: lead public-security, co-unit the township
    # (people posing as officials are not officials: no discipline clue)
    # ------------------------------------------------------------------
    {
        "text": "有人冒充住建局工作人员上门，说交500块鉴定费就能评上危房改造，莆美镇",
        "expect": {"category": "public-order", "lead_unit": "public-security", "township": "pumei",
                   "co_units": ["pumei"], "discipline_clue": False},
    },
    {
        "text": "邻居说我再找人来修房子就要打我，还拿刀吓唬我 云陵",
        "expect": {"category": "public-order", "lead_unit": "public-security", "township": "yunling",
                   "co_units": ["yunling"], "discipline_clue": False},
    },
    {
        "text": "来电人称：其危改工地存放的钢筋、水泥昨夜被盗。地址：陈岱镇",
        "expect": {"category": "public-order", "lead_unit": "public-security", "township": "chendai",
                   "co_units": ["chendai"], "discipline_clue": False},
    },
    {
        "text": "有人冒充镇干部打电话让我交改造押金 号码是17700001111 我没交 和平乡",
        "expect": {"category": "public-order", "lead_unit": "public-security", "township": "heping",
                   "co_units": ["heping"], "discipline_clue": False},
    },
    {
        "text": "有人在村里挨家挨户收\"危房鉴定费\"，说是县里派来的，可是拿不出证件",
        "expect": {"category": "public-order", "lead_unit": "public-security", "township": None,
                   "co_units": [], "discipline_clue": False},
    },
    {
        "text": "我们马铺的 盖房子的时候有人来闹事 把工人打伤了",
        "expect": {"category": "public-order", "lead_unit": "public-security", "township": "mapu",
                   "co_units": ["mapu"], "discipline_clue": False},
    },

    # ------------------------------------------------------------------
    # other / unroutable: lead housing, needs triage, no co-units
    # ------------------------------------------------------------------
    {
        "text": "您好",
        "expect": {"category": "other", "lead_unit": "housing", "township": None,
                   "co_units": [], "needs_triage": True, "discipline_clue": False},
    },
    {
        "text": "谢谢你们上次派人来看我家的房子，现在已经改好了，非常感谢！！",
        "expect": {"category": "other", "lead_unit": "housing", "township": None,
                   "co_units": [], "needs_triage": True, "discipline_clue": False},
    },
    {
        "text": "。。。",
        "expect": {"category": "other", "lead_unit": "housing", "township": None,
                   "co_units": [], "needs_triage": True, "discipline_clue": False},
    },
    {
        "text": "请问农村危房改造补助标准是多少？",
        "expect": {"category": "other", "lead_unit": "housing", "township": None,
                   "co_units": [], "needs_triage": True, "discipline_clue": False},
    },
    {
        "text": "asdkjh 123 ？？",
        "expect": {"category": "other", "lead_unit": "housing", "township": None,
                   "co_units": [], "needs_triage": True, "discipline_clue": False},
    },
    {
        "text": "我是陈岱的，想问一下你们几点上班",
        "expect": {"category": "other", "lead_unit": "housing", "township": "chendai",
                   "co_units": [], "needs_triage": True, "discipline_clue": False},
    },
    {
        "text": "喂 喂 在吗",
        "expect": {"category": "other", "lead_unit": "housing", "township": None,
                   "co_units": [], "needs_triage": True, "discipline_clue": False},
    },
    {
        # No keyword of a category: the learned fallback reads a question about the renovation's
        # progress as its procedure, and leaves it to triage.
        "text": "村干部没收钱，也没为难我们，就是想问问改造进度到哪一步了",
        "expect": {"category": "renovation-procedure", "lead_unit": "housing", "township": None,
                   "needs_triage": True, "discipline_clue": False},
    },

    # ------------------------------------------------------------------
    # discipline clues (misconduct by officials); hazard category is kept
    # ------------------------------------------------------------------
    {
        # A clue keeps the house's category where one can be told: here the learned fallback's
        # (a fee for the renovation's approval), as the blind sets' dispatchers answer it.
        # Rated for renovation: the list (household-data) or the approval (renovation-procedure);
        # no word settles it, so the lead unit reads the clue itself.
        "text": "村干部说要送红包才给评危改",
        "expect": {"category": "renovation-procedure", "lead_unit": "housing", "township": None,
                   "discipline_clue": True},
    },
    {
        "text": "我家房子裂得很厉害，村支书说给他2000块才帮我报上去，火田镇",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "huotian",
                   "discipline_clue": True},
    },
    {
        # Who is on the renovation list is the household data the poverty office keeps.
        "text": "危改名单里好几户都是村主任的亲戚，房子好好的也评上了，优亲厚友 下河乡",
        "expect": {"category": "household-data", "lead_unit": "poverty-office", "township": "xiahe",
                   "discipline_clue": True},
    },
    {
        # The subsidy's money is the renovation's procedure: the clue keeps that category.
        "text": "补助款说好是四万，到我手里只有两万五，剩下的被镇里扣了 东厦",
        "expect": {"category": "renovation-procedure", "lead_unit": "housing", "township": "dongxia",
                   "discipline_clue": True},
    },
    {
        "text": "来电人反映：某村有人虚报冒领危房改造补助，其本人早已在县城买房。地址：列屿镇。",
        "expect": {"category": "other", "lead_unit": "housing", "township": "lieyu",
                   "discipline_clue": True},
    },
    {
        "text": "上次打电话反映墙裂，镇里说已经处理了，其实根本没人来过，墙现在裂得更大了 马铺乡",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "mapu",
                   "discipline_clue": True},
    },
    {
        # Perfunctory handling alone is a complaint about the handling (作风), not a suspected
        # discipline or duty violation: no clue (issue 12's wording of the flag).
        "text": "屋顶漏雨跟村里说了好几次，村干部一直敷衍，就是不管 陈岱",
        "expect": {"category": "leaks-drafts", "lead_unit": "chendai", "township": "chendai",
                   "discipline_clue": False},
    },
    {
        "text": "台风后房子倒了一半，镇干部来拍了照就走了，补助到现在没发，问就说在办，都半年了，这是不作为",
        "expect": {"category": "disaster-damage", "lead_unit": "housing", "township": None,
                   "discipline_clue": True},
    },
    {
        "text": "危改档案里我家的签名是伪造的，我根本没签过字，钱也没见到 云陵镇",
        "expect": {"lead_unit": "housing", "township": "yunling", "discipline_clue": True},
    },
    {
        "text": "验收表上签的名字不是我签的，我根本没见过这张表，东厦镇",
        "expect": {"lead_unit": "housing", "township": "dongxia", "discipline_clue": True},
    },
    {
        "text": "开发区管委会的干部收了施工队的好处，质量那么差还给验收通过，房子已经开裂了",
        "expect": {"lead_unit": "housing", "township": "econ-zone", "discipline_clue": True},
    },
    {
        "text": "我是五保户 我的危改补助被村会计克扣了一部分 和平乡",
        "expect": {"category": "renovation-procedure", "lead_unit": "housing", "township": "heping",
                   "household": "extremely-poor", "discipline_clue": True},
    },
    {
        "text": "宅基地批不下来，国土所的人暗示要请吃饭送红包才给办 莆美",
        "expect": {"category": "land-and-geohazard", "lead_unit": "natural-resources", "township": "pumei",
                   "discipline_clue": True},
    },
    {
        "text": "cun gan bu shou le wo 3000 kuai 红包 才给报危房 wo jia 墙裂了好几道",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": None,
                   "discipline_clue": True},
    },
    {
        "text": "台风把房子吹坏了，村里报灾的时候把没受灾的亲戚报上去了，我们家反而没报上，火田",
        "expect": {"category": "disaster-damage", "lead_unit": "housing", "township": "huotian",
                   "discipline_clue": True},
    },

    # ------------------------------------------------------------------
    # negation
    # ------------------------------------------------------------------
    {
        "text": "不是台风刮的，房子本来就老了，墙角裂开好几道缝，和平乡",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "heping",
                   "co_units": ["heping"], "discipline_clue": False},
    },
    {
        "text": "我不是要举报谁，干部们都很负责，就是房子漏雨想修一下 火田",
        "expect": {"category": "leaks-drafts", "lead_unit": "huotian", "township": "huotian",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "我家不是建档立卡户，是低保户，房子墙体裂缝很大，住在马铺乡",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "mapu",
                   "household": "minimum-allowance", "co_units": ["mapu", "civil-affairs"],
                   "discipline_clue": False},
    },
    {
        "text": "没有遭台风，也不是漏雨，就是房子往一边歪了 莆美镇",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "pumei",
                   "co_units": ["pumei"], "discipline_clue": False},
    },
    {
        "text": "后山没滑坡，是房子自己的墙裂了 下河",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "xiahe",
                   "co_units": ["xiahe"], "discipline_clue": False},
    },
    {
        "text": "房子不是危房，结构都好好的，就是冬天窗户透风，云陵镇的五保老人",
        "expect": {"category": "leaks-drafts", "lead_unit": "yunling", "township": "yunling",
                   "household": "extremely-poor", "co_units": ["housing", "civil-affairs"],
                   "discipline_clue": False},
    },

    # ------------------------------------------------------------------
    # structured fields (form / operator) override the text
    # ------------------------------------------------------------------
    {
        "text": "我是火田镇的，墙裂了",
        "township": "mapu",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "mapu",
                   "co_units": ["mapu"], "discipline_clue": False},
    },
    {
        "text": "屋里漏雨，墙角也有点裂",
        "township": "lieyu",
        "category": "leaks-drafts",
        "expect": {"category": "leaks-drafts", "lead_unit": "lieyu", "township": "lieyu",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "房子墙裂了 东厦",
        "household": "entitled-groups",
        "expect": {"category": "dangerous-house", "lead_unit": "housing", "township": "dongxia",
                   "household": "entitled-groups", "co_units": ["dongxia", "veterans"],
                   "discipline_clue": False},
    },
    {
        "text": "台风把厨房吹塌了 云陵",
        "household": "other-poor",
        "expect": {"category": "disaster-damage", "lead_unit": "housing", "township": "yunling",
                   "household": "other-poor", "co_units": ["emergency", "yunling"],
                   "discipline_clue": False},
    },
    {
        "text": "验收表还没签",
        "township": "heping",
        "household": "other-poor",
        "expect": {"category": "renovation-procedure", "lead_unit": "housing", "township": "heping",
                   "household": "other-poor", "co_units": ["heping"], "discipline_clue": False},
    },
    {
        "text": "你好 我要反映个事情",
        "township": "chendai",
        "category": "safety-plate",
        "expect": {"category": "safety-plate", "lead_unit": "chendai", "township": "chendai",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "我是五保户 房子漏雨 列屿",
        "household": "minimum-allowance",
        "expect": {"category": "leaks-drafts", "lead_unit": "lieyu", "township": "lieyu",
                   "household": "minimum-allowance", "co_units": ["housing", "civil-affairs"],
                   "discipline_clue": False},
    },
    {
        "text": "安全牌没挂 我们是云陵镇的",
        "township": "econ-zone",
        "expect": {"category": "safety-plate", "lead_unit": "econ-zone", "township": "econ-zone",
                   "co_units": ["housing"], "discipline_clue": False},
    },
    {
        "text": "老人家不肯搬",
        "category": "still-living-in-danger",
        "expect": {"category": "still-living-in-danger", "lead_unit": "housing", "township": None,
                   "needs_triage": True, "discipline_clue": False},
    },
    {
        "text": "新房子建好了 我叔还住老危房 火田",
        "household": "disabled-poor",
        "expect": {"category": "still-living-in-danger", "lead_unit": "huotian", "township": "huotian",
                   "household": "disabled-poor", "co_units": ["housing", "disabled-federation"],
                   "discipline_clue": False},
    },
    {
        "text": "施工队偷工减料，我们下河的",
        "township": "econ-zone",
        "category": "construction-quality",
        "expect": {"category": "construction-quality", "lead_unit": "housing", "township": "econ-zone",
                   "co_units": ["econ-zone"], "discipline_clue": False},
    },
]
