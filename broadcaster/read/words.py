"""Words the page model scores labels with: titles and roles in Simplified, Traditional and English.

These lists are evidence, not the decision: a label ending in one of them scores higher, and a page's
own recurring shape decides (pagemodel.py).
"""
from __future__ import annotations

# Simplified → Traditional, for the characters of the title and role words below (a title written in
# Traditional characters must count as the same title: 議員 is 议员, 長官 is 长官).
_TRAD = str.maketrans(
    "书记经长区县镇乡负责师医队厂会编员馆厅组总创专农党网检导务干户护机计门发议监讲评论终谈访宾观众听读视台报"
    "闻际国说亲兴与为对时间这层阳阴边东车马齐无后里专业传关级过还达迎远进选页键问题楼艺术乐伤变现实难顾营运"
    "动静热应战认识证词语话讯调资质购买卖销财贸赢输联络统线练织约纪红纲绩续维绿缘结给绝续学觉习乡飞凤鸟鸡团",
    "書記經長區縣鎮鄉負責師醫隊廠會編員館廳組總創專農黨網檢導務幹戶護機計門發議監講評論終談訪賓觀眾聽讀視臺報"
    "聞際國說親興與為對時間這層陽陰邊東車馬齊無後裡專業傳關級過還達迎遠進選頁鍵問題樓藝術樂傷變現實難顧營運"
    "動靜熱應戰認識證詞語話訊調資質購買賣銷財貿贏輸聯絡統線練織約紀紅綱績續維綠緣結給絕續學覺習鄉飛鳳鳥雞團",
)


def traditional(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words and their Traditional spellings (longest first)."""
    out = set(words) | {w.translate(_TRAD) for w in words}
    return tuple(sorted(out, key=len, reverse=True))


# A title written after the name: 何啟明議員, 王教授, 李先生
SUFFIX_TITLES = traditional((
    "议员", "委员", "代表", "先生", "女士", "小姐", "教授", "博士", "老师", "院士", "同志", "律师", "医生", "主席", "局长",
    "司长", "部长", "处长", "主任", "书记", "市长", "省长", "县长", "区长", "校长", "院长", "所长", "总裁", "总经理",
    "经理", "董事长", "行长", "会长", "社长", "主编", "记者", "议长", "法官", "警官", "检察官", "大使", "参赞", "领事",
))
# A label that is only a role (no name): 行政長官, 發言人, DVB電視臺記者, 新华社记者
ROLE_ENDS = traditional((
    "记者", "发言人", "主持人", "主持", "主播", "网友", "观众", "听众", "读者", "市民", "代表", "委员", "议员", "长官",
    "特首", "主席", "部长", "局长", "司长", "翻译", "译员", "嘉宾", "提问者", "同学", "老师", "学生", "村民", "居民", "团长",
))
# Capitalised English role words after a name (JOE SMITH, CNN CORRESPONDENT)
EN_HOST_WORDS = frozenset(("HOST", "ANCHOR", "PRESENTER", "CO-HOST", "MODERATOR", "INTERVIEWER"))
EN_NARRATOR_WORDS = frozenset(("BYLINE", "NARRATOR", "ANNOUNCER"))
EN_ROLE_WORDS = EN_HOST_WORDS | EN_NARRATOR_WORDS | frozenset((
    "CORRESPONDENT", "REPORTER", "SENATOR", "PRESIDENT", "MINISTER", "SECRETARY", "GOVERNOR", "MAYOR", "CHIEF",
    "DIRECTOR", "EDITOR", "ANALYST", "CONTRIBUTOR", "PROFESSOR", "AUTHOR", "FOUNDER", "CEO", "SPOKESPERSON",
    "SPOKESMAN", "SPOKESWOMAN", "REPRESENTATIVE", "REP.", "SEN.", "GOV.", "AMBASSADOR", "GENERAL", "ATTORNEY",
    "CNN", "NPR", "BBC", "PBS", "ABC", "CBS", "NBC", "FOX",
))
# Words that end a sentence, not a label: 他说：, 我们的看法是：
SURNAMES_TRAD = set("王李張劉陳楊黃趙吳周徐孫馬朱胡郭何高林羅鄭梁謝宋唐許韓馮鄧曹彭曾蕭田董袁潘於蔣蔡余杜葉程蘇魏呂丁任沈"
                    "姚盧姜崔鍾譚陸汪范金石廖賈夏韋付方白鄒孟熊秦邱江尹薛閆段雷侯龍史陶黎賀顧毛郝龔邵萬錢嚴覃武戴莫孔向湯葛"
                    "竇梁岑關區麥鄺伍甘黎容蔡溫游柯韓賴蘇卓洪翁簡施詹涂辜")
