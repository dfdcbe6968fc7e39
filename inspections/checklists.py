"""The seeded checklists (测评标准): per point category, standards grouped by the five aspects.

Each standard: (aspect, text, weight, national indicator it serves, severity). Categories without a list of their own
get the common standards. Codes are the category's position and the standard's number: ``C01-03``.
"""

from inspections.choices import Aspect as A
from inspections.choices import Severity as S

PUBLICITY_ADS = (A.PUBLICITY, "公益广告、社会主义核心价值观宣传内容醒目、规范、无破损", 3, "公益广告", S.MINOR)
CIVILITY_CODE = (A.PUBLICITY, "张贴《大同市市民文明公约》或文明行为宣传内容", 2, "社会宣传", S.MINOR)
NO_FLYPOSTING = (A.INFRASTRUCTURE, "无乱贴乱画、无“牛皮癣”小广告", 2, "市容市貌", S.MINOR)
NO_LITTER = (A.ORDER, "地面干净整洁，无垃圾杂物、无积存污水", 3, "环境卫生", S.MINOR)
BINS = (A.INFRASTRUCTURE, "垃圾桶（箱）设置合理、加盖密闭、无满溢", 2, "环境卫生", S.MINOR)
NO_SPITTING = (A.CONDUCT, "无随地吐痰、乱扔杂物、大声喧哗等不文明行为", 2, "市民文明素质", S.MINOR)
VOLUNTEERS = (A.CONDUCT, "有志愿者开展文明劝导或志愿服务", 2, "志愿服务", S.MINOR)
MATERIALS = (A.MATERIALS, "创建工作台账、制度和佐证材料齐全规范", 2, "材料申报", S.MINOR)
FIRE_LANES = (A.ORDER, "消防通道畅通，无占用、堵塞", 3, "消防安全", S.SEVERE)
TOILET_SIGNS = (A.INFRASTRUCTURE, "无障碍设施完好，盲道连续无占用", 2, "无障碍设施", S.MAJOR)

COMMON = [PUBLICITY_ADS, NO_FLYPOSTING, NO_LITTER, BINS, NO_SPITTING, MATERIALS]

ROAD = [
    PUBLICITY_ADS,
    (A.PUBLICITY, "道路沿线公益广告和灯杆道旗设置规范，占比符合要求", 2, "公益广告", S.MINOR),
    (A.INFRASTRUCTURE, "路面平整，无坑洼破损，井盖齐全无缺失", 3, "城市基础设施", S.MAJOR),
    (A.INFRASTRUCTURE, "盲道连续完好，无占用、无断头", 2, "无障碍设施", S.MAJOR),
    (A.INFRASTRUCTURE, "路灯、交通标志标线完好清晰", 2, "城市基础设施", S.MINOR),
    NO_FLYPOSTING,
    NO_LITTER,
    (A.ORDER, "无占道经营、流动摊贩和店外经营", 3, "市容市貌", S.MAJOR),
    (A.ORDER, "机动车、非机动车停放有序，不占用人行道和盲道", 3, "交通秩序", S.MAJOR),
    (A.ORDER, "无乱搭乱建、乱拉乱挂，沿街牌匾规范", 2, "市容市貌", S.MINOR),
    (A.CONDUCT, "行人、非机动车遵守交通信号，无闯红灯", 2, "交通秩序", S.MINOR),
    NO_SPITTING,
]

ALLEY = [
    PUBLICITY_ADS,
    (A.INFRASTRUCTURE, "路面硬化平整，无坑洼积水", 3, "城市基础设施", S.MAJOR),
    (A.INFRASTRUCTURE, "照明设施完好，夜间无黑灯区", 2, "城市基础设施", S.MINOR),
    NO_FLYPOSTING,
    NO_LITTER,
    BINS,
    (A.ORDER, "无私搭乱建、无乱堆乱放、无乱拉电线", 3, "市容市貌", S.MAJOR),
    (A.ORDER, "车辆停放有序，不堵塞巷道", 2, "交通秩序", S.MINOR),
    NO_SPITTING,
]

COMPOUND = [
    PUBLICITY_ADS,
    CIVILITY_CODE,
    (A.INFRASTRUCTURE, "楼道干净整洁、照明完好，无堆放杂物", 3, "居民小区", S.MAJOR),
    (A.INFRASTRUCTURE, "健身设施、道路、绿化设施完好", 2, "居民小区", S.MINOR),
    BINS,
    NO_FLYPOSTING,
    NO_LITTER,
    FIRE_LANES,
    (A.ORDER, "车辆停放有序，无私装地锁、无侵占绿地", 2, "居民小区", S.MINOR),
    (A.ORDER, "有物业服务或自治管理，无违章搭建", 2, "居民小区", S.MAJOR),
    (A.CONDUCT, "无高空抛物、乱扯晾晒、毁绿种菜等不文明现象", 2, "市民文明素质", S.MINOR),
    MATERIALS,
]

COMMUNITY = [
    PUBLICITY_ADS,
    CIVILITY_CODE,
    (A.PUBLICITY, "设有善行义举榜、好人榜并及时更新", 2, "道德建设", S.MINOR),
    (A.INFRASTRUCTURE, "综合服务中心功能齐全，有未成年人活动场所", 2, "未成年人思想道德建设", S.MINOR),
    NO_LITTER,
    BINS,
    FIRE_LANES,
    VOLUNTEERS,
    (A.CONDUCT, "居民知晓创建工作，对社区环境满意", 2, "群众满意度", S.MINOR),
    MATERIALS,
    (A.MATERIALS, "志愿服务活动有记录、有照片、有时长登记", 2, "志愿服务", S.MINOR),
]

MARKET = [
    PUBLICITY_ADS,
    (A.PUBLICITY, "设置公平秤、食品安全和诚信经营宣传栏", 2, "诚信建设", S.MINOR),
    (A.INFRASTRUCTURE, "地面硬化、排水通畅，摊位划行归市", 3, "集贸市场", S.MAJOR),
    (A.INFRASTRUCTURE, "垃圾收集设施加盖，日产日清", 2, "环境卫生", S.MINOR),
    NO_LITTER,
    (A.ORDER, "无店外经营、无马路市场，周边无占道摆摊", 3, "市容市貌", S.MAJOR),
    (A.ORDER, "活禽宰杀区域隔离，无污水横流", 3, "环境卫生", S.SEVERE),
    (A.ORDER, "车辆停放有序，通道畅通", 2, "交通秩序", S.MINOR),
    (A.CONDUCT, "经营者文明经营、明码标价，无欺行霸市", 2, "诚信建设", S.MINOR),
    MATERIALS,
]

BUS_STOP = [
    PUBLICITY_ADS,
    (A.INFRASTRUCTURE, "站台、站牌完好整洁，线路信息清晰", 3, "公共交通", S.MAJOR),
    (A.INFRASTRUCTURE, "候车区盲道完好无占用", 2, "无障碍设施", S.MAJOR),
    NO_FLYPOSTING,
    NO_LITTER,
    (A.ORDER, "站台周边无出租车、私家车违停揽客", 2, "交通秩序", S.MINOR),
    (A.CONDUCT, "乘客排队候车、文明乘车，主动让座", 2, "市民文明素质", S.MINOR),
]

SCHOOL = [
    PUBLICITY_ADS,
    (A.PUBLICITY, "校园内有社会主义核心价值观和未成年人思想道德建设宣传", 3, "未成年人思想道德建设", S.MINOR),
    (A.INFRASTRUCTURE, "设有心理健康辅导室并正常使用", 2, "未成年人思想道德建设", S.MINOR),
    (A.ORDER, "校园周边 200 米内无网吧、无游戏厅、无流动摊贩", 3, "未成年人成长环境", S.SEVERE),
    (A.ORDER, "上下学时段交通秩序良好，有护学岗", 2, "交通秩序", S.MINOR),
    NO_LITTER,
    (A.CONDUCT, "学生文明礼仪规范，佩戴红领巾或校徽", 2, "未成年人思想道德建设", S.MINOR),
    MATERIALS,
]

HOSPITAL = [
    PUBLICITY_ADS,
    (A.PUBLICITY, "设有健康教育和禁烟宣传标识", 2, "卫生健康", S.MINOR),
    (A.INFRASTRUCTURE, "无障碍通道、轮椅、爱心座椅等便民设施齐全", 2, "无障碍设施", S.MAJOR),
    (A.INFRASTRUCTURE, "卫生间干净无异味，设施完好", 2, "环境卫生", S.MINOR),
    NO_LITTER,
    (A.ORDER, "门前车辆停放有序，无黑车揽客、无占道经营", 3, "交通秩序", S.MAJOR),
    (A.ORDER, "就诊秩序良好，一米线排队", 2, "公共秩序", S.MINOR),
    (A.CONDUCT, "医护人员服务热情规范，无推诿拒诊", 2, "窗口服务", S.MINOR),
    (A.CONDUCT, "室内无吸烟现象", 2, "市民文明素质", S.MINOR),
    VOLUNTEERS,
]

CONSTRUCTION = [
    (A.PUBLICITY, "围挡设置公益广告，公益广告占比符合要求", 3, "公益广告", S.MINOR),
    (A.INFRASTRUCTURE, "围挡连续封闭、整洁完好，无破损倒塌隐患", 3, "市容市貌", S.MAJOR),
    (A.ORDER, "裸露土方全覆盖，无扬尘", 3, "大气污染防治", S.SEVERE),
    (A.ORDER, "出入口设置冲洗设施，车辆不带泥上路", 3, "环境卫生", S.MAJOR),
    (A.ORDER, "材料堆放整齐，不占用道路", 2, "市容市貌", S.MINOR),
    (A.ORDER, "建筑垃圾及时清运，运输车辆密闭", 2, "环境卫生", S.MAJOR),
    (A.CONDUCT, "施工人员文明施工，无夜间违规施工扰民", 2, "文明施工", S.MINOR),
]

PRACTICE_STATION = [
    (A.PUBLICITY, "阵地标识统一规范，有新时代文明实践宣传内容", 3, "新时代文明实践", S.MINOR),
    (A.INFRASTRUCTURE, "场所固定、功能室齐全并正常开放", 3, "新时代文明实践", S.MAJOR),
    VOLUNTEERS,
    (A.CONDUCT, "定期开展理论宣讲、文化惠民等实践活动", 3, "新时代文明实践", S.MINOR),
    NO_LITTER,
    (A.MATERIALS, "活动有计划、有记录、有图片，台账完整", 3, "材料申报", S.MINOR),
    (A.MATERIALS, "志愿服务队伍和项目在平台登记", 2, "志愿服务", S.MINOR),
]

SQUARE_PARK = [
    PUBLICITY_ADS,
    (A.INFRASTRUCTURE, "座椅、照明、健身器材等设施完好", 2, "城市基础设施", S.MINOR),
    (A.INFRASTRUCTURE, "公共厕所开放、保洁到位", 2, "环境卫生", S.MINOR),
    NO_LITTER,
    BINS,
    (A.ORDER, "无流动摊贩、无违规经营", 2, "市容市貌", S.MINOR),
    (A.CONDUCT, "无践踏草坪、攀折花木、不文明遛犬", 2, "市民文明素质", S.MINOR),
    NO_SPITTING,
]

TOILET = [
    (A.PUBLICITY, "设有文明如厕宣传标识", 1, "社会宣传", S.MINOR),
    (A.INFRASTRUCTURE, "指示牌清晰，开放时间公示", 2, "城市基础设施", S.MINOR),
    (A.INFRASTRUCTURE, "设有无障碍厕位和扶手", 2, "无障碍设施", S.MAJOR),
    (A.ORDER, "室内干净无异味、无积水，洗手设施可用", 3, "环境卫生", S.MAJOR),
    (A.ORDER, "保洁人员在岗，保洁记录齐全", 2, "环境卫生", S.MINOR),
]

CROSSING = [
    PUBLICITY_ADS,
    (A.INFRASTRUCTURE, "信号灯、标志标线完好清晰", 3, "交通秩序", S.MAJOR),
    (A.INFRASTRUCTURE, "人行横道处设有缘石坡道，盲道连续", 2, "无障碍设施", S.MAJOR),
    (A.ORDER, "机动车礼让行人，不闯红灯", 3, "交通秩序", S.MAJOR),
    (A.ORDER, "非机动车在非机动车道行驶，停车线内等候", 2, "交通秩序", S.MINOR),
    (A.CONDUCT, "有交通文明劝导志愿者在岗", 2, "志愿服务", S.MINOR),
    NO_LITTER,
]

SHOPS = [
    PUBLICITY_ADS,
    (A.PUBLICITY, "商户落实“门前五包”并公示责任牌", 2, "市容市貌", S.MINOR),
    (A.INFRASTRUCTURE, "牌匾标识规范，用语用字规范", 2, "社会用语用字", S.MINOR),
    NO_FLYPOSTING,
    NO_LITTER,
    (A.ORDER, "无店外经营、占道经营和流动摊贩", 3, "市容市貌", S.MAJOR),
    (A.ORDER, "车辆停放有序", 2, "交通秩序", S.MINOR),
    (A.CONDUCT, "经营者诚信经营、文明待客", 2, "诚信建设", S.MINOR),
]

SERVICE_HALL = [
    PUBLICITY_ADS,
    (A.PUBLICITY, "公示办事指南、服务承诺和监督电话", 2, "窗口服务", S.MINOR),
    (A.INFRASTRUCTURE, "设有无障碍通道、爱心座椅、便民设施", 2, "无障碍设施", S.MAJOR),
    (A.ORDER, "大厅整洁有序，一米线排队", 2, "公共秩序", S.MINOR),
    (A.CONDUCT, "工作人员佩戴工牌、文明服务，无吃零食玩手机", 3, "窗口服务", S.MINOR),
    (A.CONDUCT, "室内无吸烟现象", 2, "市民文明素质", S.MINOR),
    MATERIALS,
]

SUPERMARKET = [
    PUBLICITY_ADS,
    (A.PUBLICITY, "设有诚信经营、食品安全宣传栏", 2, "诚信建设", S.MINOR),
    (A.INFRASTRUCTURE, "安全出口标识清晰，消防器材完好", 3, "消防安全", S.SEVERE),
    FIRE_LANES,
    NO_LITTER,
    (A.ORDER, "门前车辆停放有序，无店外经营", 2, "市容市貌", S.MINOR),
    (A.CONDUCT, "明码标价，服务规范", 2, "诚信建设", S.MINOR),
]

CHECKLISTS = {
    "主次干道": ROAD,
    "商业大街": SHOPS,
    "背街小巷": ALLEY,
    "城乡接合部": ALLEY,
    "居民小区": COMPOUND,
    "社区": COMMUNITY,
    "集贸市场": MARKET,
    "公交站点": BUS_STOP,
    "中小学校": SCHOOL,
    "医院": HOSPITAL,
    "建筑工地": CONSTRUCTION,
    "新时代文明实践中心(所、站)": PRACTICE_STATION,
    "公共广场": SQUARE_PARK,
    "公园": SQUARE_PARK,
    "室外公共厕所": TOILET,
    "主要交通路口": CROSSING,
    "政务大厅": SERVICE_HALL,
    "窗口单位": SERVICE_HALL,
    "商场超市": SUPERMARKET,
}


def checklist_for(category_name: str) -> list[tuple]:
    return CHECKLISTS.get(category_name, COMMON)
