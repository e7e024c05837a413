"""A second set, written apart from the first and without sight of the table: before any tuning
the engine got 42 of these 50 entirely right (category 45, lead unit 46, township 50, clue 47)."""

CASES = [
    {
        'text': '来电人称其位于莆美镇的自建砖房去年已被鉴定为C级危房，至今未见改造，山墙多处开裂，家中有两个小孩',
        'expect': {'category': 'dangerous-house', 'lead_unit': 'housing', 'township': 'pumei', 'discipline_clue': False},
    },
    {
        'text': '我家屋顶没有漏雨，这个倒还好，就是承重那面墙裂口子越来越宽，房门都关不拢了。我们是和平乡的',
        'expect': {'category': 'dangerous-house', 'lead_unit': 'housing', 'township': 'heping', 'discipline_clue': False},
    },
    {
        'text': 'wo jia zai 马铺, laozhai 地基往下沉, 整个房子歪了, 门框都变形了, ma fan kuai dian lai kan',
        'expect': {'category': 'dangerous-house', 'lead_unit': 'housing', 'township': 'mapu', 'discipline_clue': False},
    },
    {
        'text': '我妈一个人住的老房子，木柱子被白蚁蛀空了，人走进去楼板都在晃，担心哪天整间塌下来',
        'expect': {'category': 'dangerous-house', 'lead_unit': 'housing', 'township': None, 'discipline_clue': False},
    },
    {
        'text': '东厦镇的。我家厝墙体开裂、屋顶往下塌，去找村支书报危房，他讲要先包个红包给他才帮我往上报',
        'expect': {'category': 'dangerous-house', 'lead_unit': 'housing', 'township': 'dongxia', 'discipline_clue': True},
    },
    {
        'text': '俺家老人住的屋子斜得厉害，去年就报给和平乡的干部了，他们来拍了几张照片，台账上写已处理，其实啥也没干，房子还是那样歪着',
        'expect': {'category': 'dangerous-house', 'lead_unit': 'housing', 'township': 'heping', 'discipline_clue': True},
    },
    {
        'text': '上个月台风过境，把我在下河乡那间屋顶的瓦片全掀飞了，现在只能拿塑料布先盖着',
        'expect': {'category': 'disaster-damage', 'lead_unit': 'housing', 'township': 'xiahe', 'discipline_clue': False},
    },
    {
        'text': '台风过后房子没裂也没斜，但是厨房那一间的屋顶整个被风吹塌了，锅灶都压在底下',
        'expect': {'category': 'disaster-damage', 'lead_unit': 'housing', 'township': None, 'discipline_clue': False},
    },
    {
        'text': '我阿公的厝你们派人来看一下吧，情况电话里讲不清楚',
        'township': 'xiahe',
        'category': 'disaster-damage',
        'expect': {'category': 'disaster-damage', 'lead_unit': 'housing', 'township': 'xiahe', 'discipline_clue': False},
    },
    {
        'text': '台风把我家老厝吹坏了一半，后墙也倒了。听说有灾后重建补助，结果村干部把我家的补助报到他小舅子名下去了',
        'expect': {'category': 'disaster-damage', 'lead_unit': 'housing', 'township': None, 'discipline_clue': True},
    },
    {
        'text': '火田镇我们村有户人家，新房子早就盖好了，两个老人还是住在旧的危房里，说住惯了不肯搬',
        'expect': {'category': 'still-living-in-danger', 'lead_unit': 'huotian', 'township': 'huotian', 'discipline_clue': False},
    },
    {
        'text': '来电人称：其叔叔在马铺乡已有安全住房（政府帮建的），但本人仍住在原来那间老危房里，来电人担心出事，希望有人去劝',
        'expect': {'category': 'still-living-in-danger', 'lead_unit': 'mapu', 'township': 'mapu', 'discipline_clue': False},
    },
    {
        'text': '我爸有新房不住，非要搬回去住老厝，那间老厝是鉴定过的危房，家里人怎么劝都劝不动',
        'township': 'chendai',
        'expect': {'category': 'still-living-in-danger', 'lead_unit': 'chendai', 'township': 'chendai', 'discipline_clue': False},
    },
    {
        'text': '改造的新屋都建好半年了，我奶奶晚上还是睡在隔壁那间危房里，说新房子冷',
        'expect': {'category': 'still-living-in-danger', 'lead_unit': 'housing', 'township': None, 'discipline_clue': False},
    },
    {
        'text': '我们跟隔壁是联体房，两家共一面墙。我家想加固，邻居死活不同意，连在一起的没法单独弄，东厦镇的',
        'expect': {'category': 'attached-house', 'lead_unit': 'dongxia', 'township': 'dongxia', 'discipline_clue': False},
    },
    {
        'text': '来电人称其与堂兄的房屋为联体房，共用一面山墙，堂兄拒绝配合加固，现该墙体已向外鼓出。地址：列屿镇',
        'expect': {'category': 'attached-house', 'lead_unit': 'lieyu', 'township': 'lieyu', 'discipline_clue': False},
    },
    {
        'text': '连在一起的老房子，我这半边想修，另外半边的邻居不让动，说一动会影响到他家',
        'expect': {'category': 'attached-house', 'lead_unit': 'housing', 'township': None, 'discipline_clue': False},
    },
    {
        'text': '陈岱 联体房 邻居不配合加固。我找了村干部三次，他收了邻居送的烟酒以后就再也不管这事了',
        'expect': {'category': 'attached-house', 'lead_unit': 'chendai', 'township': 'chendai', 'discipline_clue': True},
    },
    {
        'text': '房子是鉴定过的，结构没问题不会倒，就是一下雨屋里到处滴答滴答，锅碗瓢盆全拿来接水了。我是下河的',
        'expect': {'category': 'leaks-drafts', 'lead_unit': 'xiahe', 'township': 'xiahe', 'discipline_clue': False},
    },
    {
        'text': '房子倒是结实的，可冬天冷风从门窗的缝里直接灌进来，老人家受不了。和平乡',
        'expect': {'category': 'leaks-drafts', 'lead_unit': 'heping', 'township': 'heping', 'discipline_clue': False},
    },
    {
        'text': '阮兜的厝不危险，也不会倒，只是瓦片松了落雨天漏水，墙还透风。陈岱镇',
        'expect': {'category': 'leaks-drafts', 'lead_unit': 'chendai', 'township': 'chendai', 'discipline_clue': False},
    },
    {
        'text': '莆美的，危房改造已经做完了，可验收表还缺镇里盖章，户档资料也不齐，补助款领不下来',
        'expect': {'category': 'renovation-procedure', 'lead_unit': 'housing', 'township': 'pumei', 'discipline_clue': False},
    },
    {
        'text': '来电人反映其危改项目的审批表缺少村委意见栏，审批手续不完整，目前无法开工。户籍地：火田镇',
        'expect': {'category': 'renovation-procedure', 'lead_unit': 'housing', 'township': 'huotian', 'discipline_clue': False},
    },
    {
        'text': '改造完工了，但是一户一档里没有改造前后的照片，合同也没归档，缺的材料一大堆',
        'expect': {'category': 'renovation-procedure', 'lead_unit': 'housing', 'township': None, 'discipline_clue': False},
    },
    {
        'text': '我家是今年3月新识别的贫困户，到现在5月份了，房子还没做安全鉴定。东厦镇',
        'expect': {'category': 'appraisal-overdue', 'lead_unit': 'housing', 'township': 'dongxia', 'discipline_clue': False},
    },
    {
        'text': '来电人称：其家庭为新纳入的建档立卡贫困户，纳入已超过一个月，房屋安全鉴定尚未开展。列屿镇',
        'expect': {'category': 'appraisal-overdue', 'lead_unit': 'housing', 'township': 'lieyu', 'discipline_clue': False},
    },
    {
        'text': '刚评上贫困户两个多月了 房屋鉴定一直没做 住云陵',
        'expect': {'category': 'appraisal-overdue', 'lead_unit': 'housing', 'township': 'yunling', 'discipline_clue': False},
    },
    {
        'text': '和平乡的，我家条件都符合，房子也是危房，可是没被纳入改造对象名单，属于应纳未纳',
        'expect': {'category': 'household-data', 'lead_unit': 'poverty-office', 'township': 'heping', 'discipline_clue': False},
    },
    {
        'text': '住建那边系统里我家显示已经改造了，扶贫系统里还是危房未改，两边数据对不上，麻烦核一下',
        'expect': {'category': 'household-data', 'lead_unit': 'poverty-office', 'township': None, 'discipline_clue': False},
    },
    {
        'text': '我们家按条件应该纳入的，结果名单里一直没有，系统里查不到我们户',
        'township': 'xiahe',
        'household': 'minimum-allowance',
        'expect': {'category': 'household-data', 'lead_unit': 'poverty-office', 'township': 'xiahe', 'discipline_clue': False},
    },
    {
        'text': '陈岱镇的，改造完的房子门口那块房屋安全牌子到现在都没挂',
        'expect': {'category': 'safety-plate', 'lead_unit': 'chendai', 'township': 'chendai', 'discipline_clue': False},
    },
    {
        'text': 'huotian 这边 我家门口没有贴房屋安全状态标识牌 别人家都有',
        'expect': {'category': 'safety-plate', 'lead_unit': 'huotian', 'township': 'huotian', 'discipline_clue': False},
    },
    {
        'text': '评过等级的房子不是说要挂安全等级牌吗？我们这一片都没挂',
        'expect': {'category': 'safety-plate', 'lead_unit': 'housing', 'township': None, 'discipline_clue': False},
    },
    {
        'text': '马铺乡的，改造才半年墙就起皮开裂，施工队偷工减料，砂浆里水泥都没放够',
        'expect': {'category': 'construction-quality', 'lead_unit': 'housing', 'township': 'mapu', 'discipline_clue': False},
    },
    {
        'text': '来电人反映：其改造房由包工头承建，砌墙未做圈梁，地基挖得很浅，做工粗糙。地址：云霄经济开发区',
        'expect': {'category': 'construction-quality', 'lead_unit': 'housing', 'township': 'econ-zone', 'discipline_clue': False},
    },
    {
        'text': '材料是好的，不是假货，就是工人干活马虎，瓦铺得歪歪扭扭，窗框也装斜了',
        'expect': {'category': 'construction-quality', 'lead_unit': 'housing', 'township': None, 'discipline_clue': False},
    },
    {
        'text': '在莆美镇上建材店买的钢筋是假的，细得跟筷子一样，老板还说是国标',
        'expect': {'category': 'building-materials', 'lead_unit': 'market', 'township': 'pumei', 'discipline_clue': False},
    },
    {
        'text': '来电人举报某建材商店以次充好，销售不合格水泥，多户危改户在该店购买',
        'expect': {'category': 'building-materials', 'lead_unit': 'market', 'township': None, 'discipline_clue': False},
    },
    {
        'text': '买来盖房的红砖一捏就碎，卖砖的讲是合格产品，就是东厦那家砖店',
        'expect': {'category': 'building-materials', 'lead_unit': 'market', 'township': 'dongxia', 'discipline_clue': False},
    },
    {
        'text': '和平乡，我家屋后那片边坡土很松，时不时有石头滚下来，怕哪天山体滑坡把房子埋了',
        'expect': {'category': 'land-and-geohazard', 'lead_unit': 'natural-resources', 'township': 'heping', 'discipline_clue': False},
    },
    {
        'text': '老危房拆了想原址重建，宅基地审批一直批不下来，下河乡',
        'expect': {'category': 'land-and-geohazard', 'lead_unit': 'natural-resources', 'township': 'xiahe', 'discipline_clue': False},
    },
    {
        'text': '来电人称其房屋位于地质灾害隐患点，屋后边坡有崩塌风险',
        'expect': {'category': 'land-and-geohazard', 'lead_unit': 'natural-resources', 'township': None, 'discipline_clue': False},
    },
    {
        'text': '列屿镇我们村来了两个人，自称是县住建局的，挨家挨户说要收房屋鉴定费，每户300块',
        'expect': {'category': 'public-order', 'lead_unit': 'public-security', 'township': 'lieyu', 'discipline_clue': False},
    },
    {
        'text': '施工队的老板跟我吵起来，还威胁说我再去投诉就打断我的腿',
        'expect': {'category': 'public-order', 'lead_unit': 'public-security', 'township': None, 'discipline_clue': False},
    },
    {
        'text': '经济开发区这边，我家改造工地上的钢筋昨晚被人偷了一捆',
        'expect': {'category': 'public-order', 'lead_unit': 'public-security', 'township': 'econ-zone', 'discipline_clue': False},
    },
    {
        'text': '想问一下，农村危房改造的补助标准是多少？要准备什么材料？',
        'expect': {'category': 'other', 'lead_unit': 'housing', 'township': None, 'discipline_clue': False},
    },
    {
        'text': '感谢住建局的同志帮我们修好了房子，现在住得很安心。云陵镇一村民',
        'expect': {'category': 'other', 'lead_unit': 'housing', 'township': 'yunling', 'discipline_clue': False},
    },
    {
        'text': '我家房子没漏雨，也没有裂缝，就是想问问像我们这种情况能不能申请改造',
        'expect': {'category': 'other', 'lead_unit': 'housing', 'township': None, 'discipline_clue': False},
    },
    {
        'text': '马铺乡我们村主任优亲厚友，危改补助名额全给了他自家亲戚',
        'expect': {'category': 'household-data', 'lead_unit': 'poverty-office', 'township': 'mapu', 'discipline_clue': True},
    },
    {
        'text': '莆美镇 改造补助款被村里扣了两千块，说是什么管理费，到现在都不还给我',
        'expect': {'category': 'renovation-procedure', 'lead_unit': 'housing', 'township': 'pumei', 'discipline_clue': True},
    },
]
