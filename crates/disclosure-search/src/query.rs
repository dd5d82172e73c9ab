//! Query understanding: whatever a person types becomes a query, never an error.
//!
//! Text in matching quotes (`"…"`, `“…”`, `「…」`, `『…』`) is one exact phrase. Elsewhere the
//! text splits into parts wherever the tokenizer saw a separator (a space, a comma, a
//! bracket …): each part is a phrase of its tokens, so a Chinese fragment matches only
//! where its characters stand together. Syntax characters of tantivy's own query language
//! (`:`, `^`, `(`, `"` …) mean nothing here: they are separators or quotes like any other.

use crate::tokenizer::tokenize;

/// Longer input is cut here: a pasted paragraph still finds its document, and no input
/// can make a query of unbounded cost.
pub const MAX_QUERY_CHARS: usize = 256;

/// The first [`MAX_QUERY_CHARS`] characters of `text`: as much of any input as a query
/// reads.
pub fn capped(text: &str) -> String {
    text.chars().take(MAX_QUERY_CHARS).collect()
}

/// More parts than this are dropped; each part is one more required clause.
pub const MAX_PARTS: usize = 16;

/// A phrase the query asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryPart {
    /// The tokens of the phrase, in order.
    pub tokens: Vec<String>,
    /// Whether the person quoted it.
    pub quoted: bool,
}

/// How a part is matched against the index and against text for highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhraseShape<'a> {
    /// The tokens that must stand together, in order.
    pub tokens: &'a [String],
    /// Whether the last token is a lone Han character to match as the start of a token.
    pub last_is_prefix: bool,
}

fn is_lone_han(token: &str) -> bool {
    let mut chars = token.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if crate::tokenizer::is_han(c))
}

impl QueryPart {
    /// The index holds a Han character alone only where it stands alone in the text, so a
    /// lone character of the query (the `号` of `3号`) may be the start or the end of a
    /// bigram there (`3号文件`, `令第3号`). A lone character that ends the part is matched
    /// as the start of a token; one that begins a longer part is left out of the phrase,
    /// since a token cannot be matched by its end.
    pub fn shape(&self) -> PhraseShape<'_> {
        let tokens = match self.tokens.as_slice() {
            [first, rest @ ..] if !rest.is_empty() && is_lone_han(first) => rest,
            all => all,
        };
        PhraseShape {
            tokens,
            last_is_prefix: tokens.last().is_some_and(|last| is_lone_han(last)),
        }
    }
}

impl<'a> PhraseShape<'a> {
    /// The tokens a phrase match checks, each with its offset in the phrase: every token,
    /// except an overlapping Han bigram whose neighbours are both checked (`人民政府` is
    /// `人民` at p and `政府` at p + 2; `民政` at p + 1 adds nothing). A range reader then
    /// fetches the positions of about half the bigrams, and positions are most of what a
    /// phrase reads.
    pub fn anchored_tokens(&self) -> Vec<(usize, &'a str)> {
        let tokens = self.tokens;
        let overlaps = |left: &str, right: &str| {
            let (mut l, mut r) = (left.chars(), right.chars());
            match (l.next(), l.next(), l.next(), r.next(), r.next(), r.next()) {
                (Some(a), Some(b), None, Some(c), Some(_), None) => {
                    b == c && is_lone_han(&a.to_string()) && is_lone_han(&b.to_string())
                }
                _ => false,
            }
        };
        let mut anchored: Vec<(usize, &'a str)> = Vec::new();
        for (at, token) in tokens.iter().enumerate() {
            let droppable = at % 2 == 1
                && at + 1 < tokens.len()
                && overlaps(&tokens[at - 1], token)
                && overlaps(token, &tokens[at + 1])
                && tokens[at + 1].chars().all(crate::tokenizer::is_han);
            if !droppable {
                anchored.push((at, token.as_str()));
            }
        }
        anchored
    }
}

/// What a query text asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedQuery {
    pub parts: Vec<QueryPart>,
}

impl ParsedQuery {
    /// True when the text held nothing searchable (empty, only punctuation).
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Every distinct token of the query, in first-seen order.
    pub fn distinct_tokens(&self) -> Vec<&str> {
        let mut seen = Vec::new();
        for token in self.parts.iter().flat_map(|part| &part.tokens) {
            if !seen.contains(&token.as_str()) {
                seen.push(token.as_str());
            }
        }
        seen
    }

    /// Every distinct character of the query as [`characters`](crate::tokenizer::characters)
    /// splits text: the characters of its Han tokens, and its words.
    pub fn distinct_characters(&self) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for token in self.parts.iter().flat_map(|part| &part.tokens) {
            let pieces: Vec<String> = if token.chars().all(crate::tokenizer::is_han) {
                token.chars().map(String::from).collect()
            } else {
                vec![token.clone()]
            };
            for piece in pieces {
                if !seen.contains(&piece) {
                    seen.push(piece);
                }
            }
        }
        seen
    }

    /// How many tokens the query has in all.
    pub fn token_count(&self) -> usize {
        self.parts.iter().map(|part| part.tokens.len()).sum()
    }
}

/// Words of a question that say how it is asked, not what it is about: set aside by
/// [`content_words`]. Longer entries first, so `怎么办` goes before `怎么`. `几` with a
/// measure word (`几处`, `几亩`, `几个点`), `有几个`, `哪国`, `哪去` and `还是`
/// (`归业主还是开发商`) occur in no body of the corpus or in at most 7, so a question holding
/// one asks ([`asks`]); `几个` alone occurs in 69 (`由几个部门`).
#[rustfmt::skip]
const QUESTION_WORDS: [&str; 167] = [
    "请问一下", "请问", "我想知道", "想知道", "我想问", "会怎么样", "会怎么", "怎么办理", "如何办理", "怎么处理",
    "该怎么办", "怎么办", "怎么样", "怎么算", "怎么弄", "怎么回事", "怎么", "怎样", "如何",
    "需要什么", "需要哪些", "要什么", "有什么", "有哪些", "是什么样", "什么样", "为什么", "是什么",
    "什么", "找哪个部门", "哪个部门", "去哪里", "去哪儿", "找哪里", "在哪里", "去哪", "找哪", "在哪",
    "哪些", "哪里", "哪儿",
    // After 哪些, 哪里 and 哪儿: 面向哪些, 流向哪里 and 前往哪里 keep their 面向, 流向, 前往.
    "向哪", "往哪", "哪天", "多少钱", "是多少", "多少天", "多少年", "多少次", "多少", "多久", "多长时间", "多大",
    "几天", "几年", "几岁", "几个小时", "几个点", "有几个", "几小时", "几个月", "几月份", "几月", "几周", "几点", "几分钟", "几分", "几号",
    "哪一年", "哪一天", "哪年", "几级", "几层", "几成", "几倍", "多远", "多宽", "几个人", "几个",
    "几户", "几名", "几次", "几家", "几处", "几块", "几亩", "几套", "几辆", "几部", "几张", "几间",
    "几栋", "几条", "几棵", "几只", "几头", "几台", "几份", "几本", "几篇", "几位", "哪个时候", "哪个",
    "哪国", "哪去",
    "哪种", "哪类", "哪家", "哪级", "百分之几", "该谁", "要谁", "由谁", "能不能", "可不可以", "要不要", "需不需要", "可以吗", "是不是",
    "是否", "有没有", "会不会", "算不算", "行不行", "管不管",
    "合不合法", "犯不犯法", "违不违法", "谁负责", "谁来管", "谁来赔", "谁来", "谁赔", "找谁", "归谁", "跟谁", "是谁", "给谁", "谁的", "谁管",
    // After 是否, 是不是 and 是谁: 退还是否合法 keeps its 退还.
    "还是",
    "谁", "会被", "应该", "需要", "能否", "咋办", "咋样", "咋", "啥", "随便", "办理",
    "可以", "犯法吗", "犯法", "违法吗", "合法吗", "要交", "不了", "被人", "我们",
    "我的", "自己", "别人", "丢了", "出了", "了",
];

/// Question words that legal prose uses too: each occurs over fifty times in the
/// corpus's 3,418 bodies (可以 33,453, 需要 12,055, 办理 10,864, 了 3,875, 是否 3,010,
/// 自己 769, 谁 378 as in 谁污染谁治理, 几个 69), where every other question word occurs at
/// most 9 times (most never). A text holding only these may be a phrase copied from a law
/// (`区域和其他需要特`), not a question: [`asks`] does not count them, but `谁` held once
/// (the laws say it in pairs, `谁污染谁治理`).
const PROSE_WORDS: [&str; 8] = ["可以", "需要", "办理", "了", "是否", "自己", "谁", "几个"];

/// How much of a measure a citizen asks with `多` and one of these (`多陡的山坡`, `楼盖多高`):
/// question words ([`measure_questions`]) unless a word of quantity ends in that `多`
/// (`很多高校`, `许多深层`, `多快好省`). None of them occurs in the corpus's bodies but inside
/// such words.
const MEASURES: [char; 8] = ['高', '深', '长', '陡', '厚', '快', '低', '近'];

/// The characters that with a following `多` make a word of quantity (`很多`, `许多`, `众多`).
const QUANTITY_BEFORE_DUO: [char; 11] = [
    '很', '许', '众', '诸', '好', '太', '较', '更', '最', '过', '增',
];

/// `text` with each `多` and one of [`MEASURES`] after it a [`HARD_BREAK`], but where the `多`
/// ends a word of quantity ([`QUANTITY_BEFORE_DUO`]) or `多快` begins `多快好省`.
fn measure_questions(text: &str) -> String {
    replaced_runs(text, HARD_BREAK, |chars, at| {
        let asks = chars[at] == '多'
            && chars
                .get(at + 1)
                .is_some_and(|measure| MEASURES.contains(measure))
            && !at
                .checked_sub(1)
                .is_some_and(|before| QUANTITY_BEFORE_DUO.contains(&chars[before]))
            && !(chars.get(at + 1) == Some(&'快') && chars.get(at + 2) == Some(&'好'));
        if asks {
            2
        } else {
            0
        }
    })
}

/// `text` with each run of characters that `run_at` finds (how many characters from `at`
/// it takes, 0 for none) replaced by one `with`, the scan going on after it.
fn replaced_runs(text: &str, with: char, run_at: impl Fn(&[char], usize) -> usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < chars.len() {
        match run_at(&chars, at) {
            0 => {
                out.push(chars[at]);
                at += 1;
            }
            run => {
                out.push(with);
                at += run;
            }
        }
    }
    out
}

/// Whether `text` asks: it holds a question word that legal prose does not use
/// ([`QUESTION_WORDS`] but [`PROSE_WORDS`]: `怎么`, `多少`, `什么`, `谁负责` …) or ends with a
/// question particle other than `了` (`吗`, `呢`, `？`), unless it is a two-character word
/// ending in one (`网吧`, [`is_particle_word`]), or asks in the form A不A (`收不收费`,
/// [`without_a_not_a`]), or holds `谁` once (`空房物业费谁出`: the laws say it in pairs,
/// 谁污染谁治理, 145 sentences of the corpus, and alone in one), or asks how much of a
/// measure ([`measure_questions`]: `多陡`). A question that asks is ranked by its topic
/// before the documents holding its words as typed; text that only looks like one keeps
/// those first.
pub fn asks(text: &str) -> bool {
    let text = capped(text);
    let text = joined_verbs(&text);
    let ends_asking = !is_particle_word(&text)
        && text
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|last| last != '了' && QUESTION_ENDINGS.contains(&last));
    ends_asking
        || QUESTION_WORDS
            .iter()
            .any(|word| !PROSE_WORDS.contains(word) && holds_question_word(&text, word))
        || without_a_not_a(&text) != text
        || measure_questions(&text) != text
        || text.matches('谁').count() == 1
}

/// `text` with each question of the form A不A (`收不收`, `交不交`, `管不管`: a Han character,
/// `不`, the same character) a space: the form asks, whatever the verb, and its three
/// characters would otherwise be looked for (`收不收费` → `费`).
fn without_a_not_a(text: &str) -> String {
    replaced_runs(text, ' ', |chars, at| {
        let asks = at + 2 < chars.len()
            && chars[at + 1] == '不'
            && chars[at] == chars[at + 2]
            && crate::tokenizer::is_han(chars[at]);
        if asks {
            3
        } else {
            0
        }
    })
}

/// Whether `text` holds a question word or form that a question's content words and
/// phrases set aside ([`QUESTION_WORDS`]: `多少钱` of `打官司多少钱`; A不A, `自杀赔不赔`;
/// `多` with a measure, `产假多长`), so that they would never hold `text` whole.
pub fn holds_question_form(text: &str) -> bool {
    QUESTION_WORDS
        .iter()
        .any(|word| holds_question_word(text, word))
        || without_a_not_a(text) != text
        || measure_questions(text) != text
}

/// The words asking whether an act is a crime: the first row of [`INTENTS`], and what
/// makes [`CRIME_THRESHOLDS`] ask for amounts and losses.
#[rustfmt::skip]
const CRIME_ASKS: [&str; 7] = ["犯法", "犯罪吗", "判刑", "坐牢", "判几年", "犯不犯法", "构成犯罪"];

/// What a question word asks for, in the laws' words: `犯法吗` asks whether something is a
/// crime, which the criminal law and its interpretations answer (`犯罪`, `刑事`); `不服`
/// asks how to contest a decision (`复议`, `诉讼`); `扣几分` asks for a driver's points
/// (`记分`); `谁负责` asks who is liable (`责任`, `赔偿`); `多少年` asks for a term (`期限`,
/// `年限`); `多少钱` asks for fees (`费用`), `多少岁` for an age (`年龄`). Most of these
/// words are set aside as question words ([`QUESTION_WORDS`]) or are not the laws' own
/// (`谁赔`, `坐牢`), so without this what the citizen asks is lost and only the topic
/// decides. Each row: the question words, then the legal words they stand for
/// ([`intent_words`]).
#[rustfmt::skip]
const INTENTS: [(&[&str], &[&str]); 7] = [
    (&CRIME_ASKS, &["犯罪", "刑事"]),
    (&["不服", "不认可", "不同意处罚", "想申诉"], &["复议", "诉讼"]),
    (&["扣几分", "扣多少分", "记几分", "扣分"], &["记分"]),
    (&["谁负责", "谁赔", "谁承担", "赔多少", "怎么赔", "谁来赔", "赔吗", "赔不赔", "要不要赔", "用不用赔"],
        &["责任", "赔偿"]),
    (&["多少年", "几年", "多久", "多长时间"], &["期限", "年限"]),
    (&["多少钱", "交多少", "收多少", "怎么收费"], &["费用", "收费标准"]),
    (&["多少岁", "几岁", "多大岁数", "多大年纪", "多大年龄"], &["年龄"]),
];

/// How much money makes an act a crime (`收了多少钱就够判刑`, `偷多少钱算犯罪`): the
/// judicial interpretations set it as amounts (`数额较大`), not fees, so in a question about
/// a crime (`罪` or [`CRIME_ASKS`]) these forms ask for [`THRESHOLD_WORDS`]
/// and the `多少钱` of [`INTENTS`] does not count in them.
#[rustfmt::skip]
const AMOUNT_THRESHOLDS: [&str; 11] = [
    "多少钱就", "多少钱才", "多少钱算", "多少钱够", "多少钱会", "多少钱以上", "多少钱判",
    "多少钱要判", "多少钱构成", "多少钱立案", "多少钱可以判",
];

/// What [`AMOUNT_THRESHOLDS`] ask for, in the interpretations' words.
const THRESHOLD_WORDS: [&str; 2] = ["数额较大", "数额"];

/// How great a loss makes an act a crime (`玩忽职守造成多大损失会被判刑`): the
/// interpretations set it as `重大损失` with amounts, which the question does not say.
const LOSS_THRESHOLDS: [&str; 4] = ["多大损失", "损失多大", "多少损失", "损失多少"];

/// In a question about a crime, what forms asking how much ask for: each row's forms,
/// then the interpretations' words; the forms are set aside once read.
#[rustfmt::skip]
const CRIME_THRESHOLDS: [(&[&str], &[&str]); 2] = [
    (&AMOUNT_THRESHOLDS, &THRESHOLD_WORDS),
    (&LOSS_THRESHOLDS, &["重大损失"]),
];

/// What an age under 18 (`十五岁的孩子`, `8岁`, [`stated_ages`]) makes a question about:
/// the laws say `未成年人`, and the age's own bigrams (`五岁`) match other ages in bodies
/// (`四十五岁`).
const MINOR: &str = "未成年人";

/// The ages a text states as a number and `岁` or `周岁` (`十五岁`, `8周岁`, `两岁`):
/// Arabic digits (below 150) or Chinese numerals
/// ([`disclosure_core::numerals::chinese_number`]); `几岁` and other words asking are none.
fn stated_ages(text: &str) -> Vec<u32> {
    use disclosure_core::numerals::{chinese_number, is_numeral};
    let chars: Vec<char> = text.chars().collect();
    let mut ages = Vec::new();
    for (at, c) in chars.iter().enumerate() {
        if *c != '岁' {
            continue;
        }
        let end = match at.checked_sub(1).map(|before| chars[before]) {
            Some('周') => at - 1,
            _ => at,
        };
        let start = (0..end)
            .rev()
            .take_while(|&i| chars[i].is_ascii_digit() || is_numeral(chars[i]))
            .last();
        let Some(start) = start else { continue };
        let number: String = chars[start..end].iter().collect();
        let age = match number.chars().all(|c| c.is_ascii_digit()) {
            true => number.parse().ok().filter(|n| *n < 150),
            false => chinese_number(&number),
        };
        ages.extend(age);
    }
    ages
}

/// The legal words a question's question words ask for ([`INTENTS`]: `买假文凭犯法吗` →
/// `犯罪`, `刑事`; [`CRIME_THRESHOLDS`]; an age under 18, [`MINOR`]), each once, in that
/// order; empty when `text` asks none of them.
pub fn intent_words(text: &str) -> Vec<&'static str> {
    let text = capped(text);
    let mut text = joined_verbs(&text);
    let mut words: Vec<&'static str> = Vec::new();
    // Only where a crime is asked about (`工资多少钱以上要交税` asks for a tax's threshold).
    let crime = text.contains('罪') || CRIME_ASKS.iter().any(|word| text.contains(word));
    for (forms, meant) in CRIME_THRESHOLDS {
        if crime && forms.iter().any(|form| text.contains(form)) {
            words.extend(meant);
            text = replaced(&text, forms, ' ');
        }
    }
    if stated_ages(&text).iter().any(|age| *age < 18) {
        words.push(MINOR);
    }
    for (asked, meant) in INTENTS {
        if asked.iter().any(|word| text.contains(word)) {
            for word in meant {
                if !words.contains(word) {
                    words.push(word);
                }
            }
        }
    }
    words
}

/// Verbs of what a citizen wants done (`投诉`, `处罚`, `申请` …): every law on a topic names
/// them, so a question's topic, not its verb, decides. Set aside by [`content_words`] like
/// the question words, unless nothing else is left.
#[rustfmt::skip]
const ACTION_WORDS: [&str; 16] = [
    "投诉", "举报", "处罚", "处理", "申请", "补办", "申报", "领取", "提取", "起诉", "判刑",
    "认定", "退还", "要回", "索赔", "规定",
];

/// Whether `text` holds one of [`ACTION_WORDS`] where a question's phrases set it aside
/// (`起诉政府`, `申请低保`, but not `起诉期限`, [`without_action_words`]): a term of the
/// synonym list that does is lost with the verb from a question's phrases.
pub fn holds_action_word(text: &str) -> bool {
    without_action_words(text, ' ') != text
}

/// What an [`ACTION_WORDS`] verb names with the word after it, a thing the laws define and
/// a citizen asks about (`起诉期限`, `起诉状`, `申请材料`, `处罚决定`): there the verb stays.
const ACTION_NOUNS: [&str; 8] = ["期限", "时效", "状", "材料", "条件", "程序", "决定", "标准"];

/// `text` with each of [`ACTION_WORDS`] replaced by `with`, but where one of
/// [`ACTION_NOUNS`] follows it.
fn without_action_words(text: &str, with: char) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while let Some(c) = rest.chars().next() {
        for word in ACTION_WORDS {
            if let Some(after) = rest.strip_prefix(word) {
                if !ACTION_NOUNS.iter().any(|noun| after.starts_with(noun)) {
                    out.push(with);
                    rest = after;
                    continue 'scan;
                }
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Particles that end a question (`吗`, `呢`): set aside at its end only, where they cannot
/// be part of a word.
const QUESTION_ENDINGS: [char; 9] = ['吗', '呢', '了', '吧', '啊', '呀', '嘛', '?', '？'];

/// Whether `text` is a two-character word ending in a character that elsewhere ends a
/// question as a particle (`网吧`, `酒吧`, `贴吧`): a place or a thing, not `网` asked about.
fn is_particle_word(text: &str) -> bool {
    let mut chars = without_question_marks(text).trim_start().chars();
    matches!(
        (chars.next(), chars.next(), chars.next()),
        (Some(first), Some(last), None)
            if crate::tokenizer::is_han(first) && WORD_PARTICLES.contains(&last)
    )
}

/// `text` without the question marks and spaces it ends with (`网吧？ ` → `网吧`).
fn without_question_marks(text: &str) -> &str {
    text.trim_end_matches(|c: char| c == '?' || c == '？' || c.is_whitespace())
}

/// The question particles that also end words (`网吧`, `酒吧`): [`is_particle_word`].
const WORD_PARTICLES: [char; 4] = ['吧', '啊', '呀', '嘛'];

/// Single characters that only link the words of a question (`被`, `的`, `把`): a space
/// wherever they stand between two other characters of a question, so `孩子被学校欺负`
/// asks for `孩子` and `学校欺负`, not the run of all six.
const LINKING_CHARACTERS: [char; 6] = ['被', '的', '把', '给', '让', '吗'];

/// Words a citizen puts around what they ask about, which say nothing of it: how often
/// (`总是`, `偷偷`), how much (`一大片`, `最多`), when (`如今`: not `现在` nor `目前`, inside
/// `体现在`, `项目前期`), whose (`我家`). Not `必须`, which the laws say with the words a
/// citizen asks about (`必须火化`), nor those inside the laws'
/// terms: `一般` (`一般纳税人`), `经常` (`经常居住地`), `老是` (`养老是`), `到底`
/// (`到底层`). Set aside by [`content_words`] only: unlike [`QUESTION_WORDS`] they do not
/// make a text a question ([`asks`]).
#[rustfmt::skip]
const FILLER_WORDS: [&str; 17] = [
    "我们家", "我家", "一大片", "一大笔", "一大堆", "突然", "偷偷", "私下里", "到处", "总是",
    "已经", "一直", "马上", "究竟", "最少", "最多", "如今",
];

/// Characters that in a citizen's sentence are mostly words of their own — modal verbs
/// (`能`, `要`, `会`, `该`, `想`), adverbs (`还`, `也`, `很`, `才`, `就`), prepositions (`在`,
/// `从`, `跟`, `按`), `算` (counts as), `说` (says), `个` (a measure word), `着` — and stick
/// to the words around them when typed without spaces: `大树能砍掉` would look for `树能`,
/// which no law holds, and find what holds it by chance (`所说能…`). [`content_words`]
/// makes each a space, unless with a neighbour it forms one of the words of
/// [`FUNCTION_CHARACTER_WORDS`] (`社会`, `能源`, `还款`).
const FUNCTION_CHARACTERS: [char; 19] = [
    '能', '要', '会', '该', '想', '还', '也', '很', '才', '就', '在', '从', '跟', '按', '算', '说',
    '个', '着', '向',
];

/// The words a [`FUNCTION_CHARACTERS`] character forms with a neighbour, in which it
/// stays: the words of public matters and the laws' names that hold one.
#[rustfmt::skip]
const FUNCTION_CHARACTER_WORDS: [&str; 228] = [
    // 能
    "能源", "节能", "功能", "技能", "职能", "智能", "可能", "性能", "核能", "能力", "能够", "本能",
    "才能", "体能", "效能", "电能", "热能", "动能", "失能", "能耗", "能效", "储能", "无能",
    // 要
    "要求", "重要", "主要", "必要", "要素", "要件", "纲要", "摘要", "要点", "只要", "要塞",
    "要害", "首要", "紧要", "要约", "要职", "要案", "索要", "要挟",
    // 会
    "社会", "会计", "协会", "会议", "会员", "机会", "工会", "大会", "商会", "学会", "聚会", "集会",
    "会展", "会见", "会同", "会所", "开会", "晚会", "庙会", "展会", "会馆", "会谈", "会诊", "会商",
    "会审", "约会", "宴会", "员会", "事会", "东会", "览会", "金会", "合会", "委会", "会期", "会签",
    "都会", "省会", "会考", "年会", "联会", "字会",
    // 想
    "思想", "理想", "梦想", "联想", "设想", "构想", "想象",
    // 还
    "还款", "还钱", "归还", "偿还", "退还", "返还", "还贷", "还债", "交还", "送还", "还原", "生还",
    "还本", "还清",
    // 才
    "人才", "才艺", "天才", "英才", "专才", "口才",
    // 就
    "就业", "就医", "就诊", "就学", "就读", "成就", "就餐", "就地", "就近", "就职", "就任", "迁就",
    // 在
    "存在", "现在", "所在", "在校", "在职", "在编", "在押", "在逃", "在建", "在册", "在读", "在岗",
    "在线", "实在", "内在", "潜在", "外在", "自在", "在途", "在售", "在世",
    // 从
    "从事", "从业", "服从", "从犯", "从轻", "从重", "随从", "从属", "自从", "从严", "从宽",
    // 跟
    "跟踪", "跟随",
    // 按
    "按揭", "按摩", "按钮", "按键", "按份",
    // 算
    "计算", "结算", "预算", "核算", "决算", "清算", "算法", "折算", "换算", "推算", "测算", "打算",
    "合算", "算力",
    // 说
    "小说", "说明", "学说", "传说", "说书", "游说", "说唱",
    // 个
    "个人", "个体", "个税", "个别", "个案", "个性", "个数", "个股",
    // 着
    "着火", "着陆", "着装", "着急", "着手", "着重", "衣着", "执着", "穿着",
    // 向 (a preposition: `向政府申请`, `向哪报告`)
    "方向", "向导", "一向", "倾向", "导向", "走向", "去向", "意向", "动向", "志向", "定向", "面向", "转向", "投向",
    "取向", "偏向", "指向", "流向", "纵向", "横向", "双向", "单向", "逆向", "反向", "风向", "趋向", "朝向", "向往",
    // 很, 也: none
];

/// `content` with each [`FUNCTION_CHARACTERS`] character a space where it forms none of the
/// [`FUNCTION_CHARACTER_WORDS`] with the character before or after it: `大树能砍掉` →
/// `大树 砍掉`, `社会保险` as it was. A negation before one goes with it (`山坡不能开荒` →
/// `山坡 开荒`, not `坡不`): `不能`, `没想`, like the modal verb, say how, not what.
fn without_function_characters(content: &str) -> String {
    let chars: Vec<char> = content.chars().collect();
    let forms_word = |a: Option<&char>, b: Option<&char>| match (a, b) {
        (Some(a), Some(b)) => {
            let mut pair = String::with_capacity(6);
            pair.push(*a);
            pair.push(*b);
            FUNCTION_CHARACTER_WORDS.contains(&pair.as_str())
        }
        _ => false,
    };
    let kept: Vec<bool> = chars
        .iter()
        .enumerate()
        .map(|(at, c)| {
            let before = at.checked_sub(1).and_then(|before| chars.get(before));
            let after = chars.get(at + 1);
            !FUNCTION_CHARACTERS.contains(c)
                || forms_word(before, Some(c))
                || forms_word(Some(c), after)
        })
        .collect();
    chars
        .iter()
        .enumerate()
        .map(|(at, c)| {
            let negates_a_dropped_one = NEGATIONS.contains(c) && kept.get(at + 1) == Some(&false);
            if kept[at] && !negates_a_dropped_one {
                *c
            } else {
                ' '
            }
        })
        .collect()
}

/// The negations a citizen puts before a modal verb (`不能`, `没想`): see
/// [`without_function_characters`].
const NEGATIONS: [char; 2] = ['不', '没'];

/// The content words of a question as a citizen types it (`酒后开车会被怎么处罚` →
/// `酒后开车`): question words (and A不A forms) replaced by a space, trailing particles
/// dropped, linking characters between words made spaces, the verbs of what is asked
/// for ([`ACTION_WORDS`]: `投诉`, `处罚` …) set aside unless they are all that is left,
/// fillers ([`FILLER_WORDS`]) and function characters ([`FUNCTION_CHARACTERS`]: `大树能砍掉`
/// → `大树 砍掉`) set aside, lone Han characters side by side across those read as one word
/// (`养的猪` → `养猪`), and the lone ones left dropped unless nothing else is.
/// `None` when the text holds no question word (it is no question) or nothing else.
pub fn content_words(text: &str) -> Option<String> {
    // Lone characters side by side once only a `的`, a filler or a function character stood
    // between them are read as one word (`养的猪` → `养猪`, `猪突然死` → `猪死`): alone each
    // would be dropped. Not across a question word or a linking `被` (`车被扣` is no `车扣`).
    let mut runs: Vec<String> = Vec::new();
    let mut after_lone = false;
    for (run, hard_before) in question_runs_with_breaks(text)? {
        let lone = is_lone(&run);
        match runs.last_mut() {
            Some(last) if lone && after_lone && !hard_before => last.push_str(&run),
            _ => runs.push(run),
        }
        after_lone = lone;
    }
    let words: Vec<&str> = runs.iter().map(String::as_str).collect();
    // A lone Han character left between fillers (`会` of `偷东西会判刑`) is no word, and as a
    // part it would stand for every word it starts.
    let words: Vec<&str> = match words.iter().all(|word| is_lone(word)) {
        true => words,
        false => words.into_iter().filter(|word| !is_lone(word)).collect(),
    };
    (!words.is_empty()).then(|| words.join(" "))
}

/// What a question is about, lone characters included (`自己住的房子要交税吗` → `住 房子
/// 税`): [`content_words`] before it drops the lone Han characters, which as words match
/// too much but as characters of a title still tell (`税`). `None` as for
/// [`content_words`].
pub fn content_characters(text: &str) -> Option<String> {
    question_runs(text).map(|words| words.join(" "))
}

/// The lone Han characters a question's content words leave out (`买新车要交多少税` →
/// `税`; `自己住的房子要交税吗` → `住`, `税`): as words they match too much, but a law on the
/// topic names them in its title (`车辆购置税法`). Empty when the text is no question, or
/// when lone characters are all it holds (then they are its content words).
pub fn lone_characters(text: &str) -> Vec<String> {
    let Some(runs) = question_runs(text) else {
        return Vec::new();
    };
    if runs.iter().all(|run| is_lone(run)) {
        return Vec::new();
    }
    let mut characters: Vec<String> = Vec::new();
    for run in runs.into_iter().filter(|run| is_lone(run)) {
        if !characters.contains(&run) {
            characters.push(run);
        }
    }
    characters
}

/// Whether a run of a question is one Han character.
fn is_lone(run: &str) -> bool {
    let mut chars = run.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if crate::tokenizer::is_han(c))
}

/// Where [`question_text`] set a word aside that ends what is said before it: a question
/// word, a particle, an action verb, a linking `被`/`把`/`给`/`让`. Lone characters on either
/// side are not read as one word ([`content_words`]: `车被扣` is no `车扣`). A character of
/// Unicode's private use area, which no folded query holds as text.
const HARD_BREAK: char = '\u{E000}';

/// A question as typed (its first [`MAX_QUERY_CHARS`] characters, split verbs joined,
/// [`joined_verbs`]) and the same with its question words and A不A forms each a
/// [`HARD_BREAK`]: what [`question_text`] and [`question_phrases`] both start from. `None`
/// for a word ending in a particle (`网吧`).
fn without_question_words(text: &str) -> Option<(String, String)> {
    let text = capped(text);
    if is_particle_word(&text) {
        return None;
    }
    // Before the question words: `了` is one, and `离了婚` would leave `离` and `婚`.
    let text = joined_verbs(&text);
    // Question words first: some end with a particle (`违法吗`, `犯法吗`) that trimming the
    // end would cut off, leaving `违法` to be looked for as a topic. The list's A不A forms
    // (`可不可以`) before the rule for every other (`收不收`), which would leave their `以`.
    let asked = without_a_not_a(&without_question_words_of(&measure_questions(&text)));
    Some((text, asked))
}

/// Words of legal prose that begin with the last character of a question word
/// ([`QUESTION_WORDS`]): where what follows a question word makes its last character the
/// start of one of these, the question word is not there — `被人` of `已被人民法院判处`,
/// `要交` of `重要交通`, `别人` of `性别人工` and `鉴别人民`. Read as questions, phrases
/// copied from a law lost their words (`企业被人民法院宣告破产后` looked for `民法院…`).
const PROSE_WORDS_AFTER_QUESTION_WORDS: [&str; 4] = ["人民", "交通", "人工", "人选"];

/// Whether `word`, a [`QUESTION_WORDS`] entry found at byte `at` of `text`, stands there as
/// a question word: not where its last character begins one of
/// [`PROSE_WORDS_AFTER_QUESTION_WORDS`] with what follows it.
fn stands_as_question_word(text: &str, word: &str, at: usize) -> bool {
    let last = word.chars().next_back().map_or(0, char::len_utf8);
    let from_last = &text[at + word.len() - last..];
    !PROSE_WORDS_AFTER_QUESTION_WORDS
        .iter()
        .any(|prose| from_last.starts_with(prose))
}

/// Whether `text` holds `word` as a question word ([`stands_as_question_word`]).
fn holds_question_word(text: &str, word: &str) -> bool {
    text.match_indices(word)
        .any(|(at, _)| stands_as_question_word(text, word, at))
}

/// `text` with each of [`QUESTION_WORDS`] (in their order) a [`HARD_BREAK`] where it
/// stands as a question word ([`stands_as_question_word`]).
fn without_question_words_of(text: &str) -> String {
    replaced_where(text, &QUESTION_WORDS, HARD_BREAK, stands_as_question_word)
}

/// `text` with each of `words` (in their order) replaced by `with`.
fn replaced(text: &str, words: &[&str], with: char) -> String {
    replaced_where(text, words, with, |_, _, _| true)
}

/// `text` with each of `words` (in their order) replaced by `with` wherever `stands(text,
/// word, at)` says the word found at byte `at` stands as one; as `str::replace`, the
/// occurrences of a word are found left to right and do not overlap.
fn replaced_where(
    text: &str,
    words: &[&str],
    with: char,
    stands: impl Fn(&str, &str, usize) -> bool,
) -> String {
    let mut text = text.to_string();
    for word in words {
        let mut out = String::with_capacity(text.len());
        let mut from = 0;
        for (at, _) in text.match_indices(word) {
            if stands(&text, word, at) {
                out.push_str(&text[from..at]);
                out.push(with);
                from = at + word.len();
            }
        }
        out.push_str(&text[from..]);
        text = out;
    }
    text
}

/// A question's text once its question words (and A不A forms, [`without_a_not_a`]),
/// trailing particles, linking characters and (unless they are all there is) action verbs
/// are set aside, each a [`HARD_BREAK`] but `的`, a space; `None` as for
/// [`content_words`]. Fillers and function characters are still in it.
fn question_text(text: &str) -> Option<String> {
    let (text, asked) = without_question_words(text)?;
    question_text_of(&text, &asked)
}

/// [`question_text`] of a question as typed, `text`, and `asked`, the same without its
/// question words ([`without_question_words`]).
fn question_text_of(text: &str, asked: &str) -> Option<String> {
    // Question marks, then one particle: a second is part of a word (`去网吧吗` asks about
    // `去网吧`, not `去网`).
    let content = without_question_marks(asked);
    let content = match content.chars().next_back() {
        Some(last) if QUESTION_ENDINGS.contains(&last) => {
            &content[..content.len() - last.len_utf8()]
        }
        _ => content,
    };
    let content = content.trim_end().to_string();
    let said = |text: &str| text.chars().any(|c| c != HARD_BREAK && !c.is_whitespace());
    if content == text || !said(&content) {
        return None;
    }
    let content: String = content
        .chars()
        .map(|c| match (c, LINKING_CHARACTERS.contains(&c)) {
            ('的', _) => ' ',
            (_, true) => HARD_BREAK,
            (c, false) => c,
        })
        .collect();
    let topic = without_action_words(&content, HARD_BREAK);
    Some(match said(&topic) {
        true => topic,
        false => content,
    })
}

/// What the synonym list's terms are looked up in for a question's topic
/// ([`crate::engine::topic::versions_of`]): the question without its question words (and
/// A不A forms) and action verbs, each a space; its linking characters, fillers and function
/// characters still in (`偷来的东西`, `成立个协会`), which no action verb (`起诉`) nor question
/// word brings. `None` as for [`content_words`].
pub fn question_phrases(text: &str) -> Option<String> {
    let (text, asked) = without_question_words(text)?;
    question_text_of(&text, &asked)?;
    let phrases = without_action_words(&asked, ' ').replace(HARD_BREAK, " ");
    Some(without_question_marks(&phrases).to_string())
}

/// The runs of a question ([`question_text`]) once its fillers ([`FILLER_WORDS`]) and
/// function characters ([`without_function_characters`]) are set aside too, in order, each
/// with whether a [`HARD_BREAK`] stands before it.
fn question_runs_with_breaks(text: &str) -> Option<Vec<(String, bool)>> {
    let content = without_function_characters(&replaced(&question_text(text)?, &FILLER_WORDS, ' '));
    let mut runs: Vec<(String, bool)> = Vec::new();
    let mut hard_before = false;
    for piece in content.split(HARD_BREAK) {
        for word in piece.split_whitespace() {
            runs.push((word.to_string(), hard_before));
            hard_before = false;
        }
        hard_before = true;
    }
    (!runs.is_empty()).then_some(runs)
}

/// The runs of a question left once its question words, trailing particles, linking
/// characters, fillers, function characters and (unless they are all there is) action verbs
/// are set aside, in order.
fn question_runs(text: &str) -> Option<Vec<String>> {
    question_runs_with_breaks(text).map(|runs| runs.into_iter().map(|(run, _)| run).collect())
}

/// Verbs of a citizen's matters that Chinese splits with an aspect particle (离合词):
/// `离了婚`, `坐过牢`, `交的税`. Split, neither half is a word the laws use; a question's
/// words are read with them joined ([`joined_verbs`]). Only these: `了`, `过` and `的` also
/// begin words (`了解`, `过户`, `的士`) that no rule could tell apart from a split verb.
#[rustfmt::skip]
const SEPARABLE_VERBS: [&str; 56] = [
    "离婚", "结婚", "辞职", "离职", "请假", "坐牢", "报警", "报案", "立案", "打架", "吸毒", "贩毒",
    "加班", "上班", "毕业", "当兵", "参军", "入伍", "退伍", "贷款", "借款", "付款", "还款", "借钱",
    "欠钱", "还钱", "交钱", "交税", "纳税", "退税", "缴费", "交费", "看病", "住院", "生病", "受伤",
    "怀孕", "开车", "喝酒", "签字", "报名", "落户", "办证", "罚款", "扣分", "打工", "租房", "买房",
    "犯罪", "犯法", "撞人", "打人", "欠税", "欠薪", "欠债", "欠款",
];

/// The aspect particles that split a [`SEPARABLE_VERBS`] verb.
const ASPECT_PARTICLES: [char; 3] = ['了', '过', '的'];

/// The verbs of [`SEPARABLE_VERBS`] that `的` splits too (`离的婚`, `交的税`): those whose
/// second half does not begin the noun a possessive `的` so often comes before (`住的院子`
/// is no 住院, `早上的班车` no 上班, `公开的车辆` no 开车).
#[rustfmt::skip]
const SPLIT_BY_DE: [&str; 14] = [
    "离婚", "结婚", "辞职", "离职", "坐牢", "交税", "纳税", "贷款", "借钱", "欠钱", "交钱",
    "罚款", "犯罪", "犯法",
];

/// `text` with each split verb of [`SEPARABLE_VERBS`] joined again (`离了婚孩子归谁` →
/// `离婚孩子归谁`, `在国外离的婚` → `在国外离婚`, `我住的院子` as it was); other text as it
/// was. Every reading of a question ([`asks`], [`intent_words`], [`content_words`]) reads
/// it so: `偷东西犯了法吗` asks as `犯法吗` does.
fn joined_verbs(text: &str) -> String {
    if !text.contains(ASPECT_PARTICLES) {
        return text.to_string();
    }
    let mut joined = text.to_string();
    for verb in SEPARABLE_VERBS {
        let mut halves = verb.chars();
        let (Some(first), Some(second)) = (halves.next(), halves.next()) else {
            continue;
        };
        for particle in ASPECT_PARTICLES {
            if particle == '的' && !SPLIT_BY_DE.contains(&verb) {
                continue;
            }
            joined = joined.replace(&format!("{first}{particle}{second}"), verb);
        }
    }
    joined
}

fn closing_quote(open: char) -> Option<char> {
    match open {
        '"' | '＂' => Some(open),
        '“' => Some('”'),
        '「' => Some('」'),
        '『' => Some('』'),
        _ => None,
    }
}

/// Parses `text` into the parts of a query. Total: any string gives a query, possibly
/// an empty one.
pub fn parse_query(text: &str) -> ParsedQuery {
    parse(text, Repeats::Once)
}

/// [`parse_query`] with every part as typed, in order, a repeated one again: what Latin
/// letters read as pinyin need, where syllables repeat (`pai shui yu wu shui chu li` is
/// 排水与污水处理, not 排水与污除理).
pub fn parse_query_as_typed(text: &str) -> ParsedQuery {
    parse(text, Repeats::Kept)
}

/// Whether a part typed twice is kept twice.
#[derive(Clone, Copy, PartialEq)]
enum Repeats {
    Once,
    Kept,
}

fn parse(text: &str, repeats: Repeats) -> ParsedQuery {
    let text = capped(text);
    let mut parsed = ParsedQuery::default();
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let quote = rest
            .char_indices()
            .find_map(|(at, c)| closing_quote(c).map(|close| (at, c, close)))
            .and_then(|(at, open, close)| {
                let inner_start = at + open.len_utf8();
                rest[inner_start..]
                    .find(close)
                    .map(|len| (at, inner_start, inner_start + len, close))
            });
        match quote {
            Some((at, inner_start, inner_end, close)) => {
                add_unquoted(&rest[..at], repeats, &mut parsed);
                add_part(
                    tokens_of(&rest[inner_start..inner_end]),
                    true,
                    repeats,
                    &mut parsed,
                );
                rest = &rest[inner_end + close.len_utf8()..];
            }
            None => {
                // No balanced quote left: an unbalanced quote is only a separator.
                add_unquoted(rest, repeats, &mut parsed);
                rest = "";
            }
        }
    }
    parsed.parts.truncate(MAX_PARTS);
    parsed
}

fn tokens_of(text: &str) -> Vec<String> {
    tokenize(text).into_iter().map(|token| token.text).collect()
}

fn add_unquoted(text: &str, repeats: Repeats, parsed: &mut ParsedQuery) {
    let mut current = Vec::new();
    for token in tokenize(text) {
        if !token.joined && !current.is_empty() {
            add_part(std::mem::take(&mut current), false, repeats, parsed);
        }
        current.push(token.text);
    }
    add_part(current, false, repeats, parsed);
}

fn add_part(tokens: Vec<String>, quoted: bool, repeats: Repeats, parsed: &mut ParsedQuery) {
    let repeated = parsed.parts.iter().any(|part| part.tokens == tokens);
    if tokens.is_empty() || (repeated && repeats == Repeats::Once) {
        return;
    }
    parsed.parts.push(QueryPart { tokens, quoted });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Vec<(Vec<&'static str>, bool)> {
        parse_query(text)
            .parts
            .into_iter()
            .map(|part| {
                let tokens = part
                    .tokens
                    .into_iter()
                    .map(|t| &*Box::leak(t.into_boxed_str()))
                    .collect();
                (tokens, part.quoted)
            })
            .collect()
    }

    #[test]
    fn a_chinese_fragment_is_one_phrase() {
        assert_eq!(parts("收费清单"), [(vec!["收费", "费清", "清单"], false)]);
    }

    #[test]
    fn separators_split_parts() {
        assert_eq!(
            parts("收费清单，公安  2019"),
            [
                (vec!["收费", "费清", "清单"], false),
                (vec!["公安"], false),
                (vec!["2019"], false)
            ]
        );
    }

    #[test]
    fn quotes_make_one_exact_phrase_and_unbalanced_ones_are_ignored() {
        assert_eq!(parts("“收费 清单”"), [(vec!["收费", "清单"], true)]);
        assert_eq!(parts("\"收费清单"), [(vec!["收费", "费清", "清单"], false)]);
        assert_eq!(
            parts("a\"b\"c"),
            [(vec!["a"], false), (vec!["b"], true), (vec!["c"], false)]
        );
    }

    #[test]
    fn syntax_characters_and_punctuation_are_harmless() {
        assert_eq!(parts("title:收费^2 (AND) OR"), parts("title 收费 2 and or"));
        assert!(parse_query("：；“”（）!!!").is_empty());
        assert!(parse_query("").is_empty());
    }

    #[test]
    fn long_input_is_bounded() {
        let long = "政务公开".repeat(2_500);
        let parsed = parse_query(&long);
        assert_eq!(parsed.token_count(), MAX_QUERY_CHARS - 1);
        let many_words = "a b c d e f g h i j k l m n o p q r s t u v w x y z".repeat(10);
        assert_eq!(parse_query(&many_words).parts.len(), MAX_PARTS);
    }

    #[test]
    fn lone_han_characters_at_the_edges_of_a_part_are_loosened() {
        let parsed = parse_query("第3号");
        let shape = parsed.parts[0].shape();
        assert_eq!(shape.tokens, ["3", "号"]);
        assert!(shape.last_is_prefix);
        let parsed = parse_query("收费清单");
        assert!(!parsed.parts[0].shape().last_is_prefix);
        let parsed = parse_query("法");
        assert_eq!(parsed.parts[0].shape().tokens, ["法"]);
        assert!(parsed.parts[0].shape().last_is_prefix);
    }

    #[test]
    fn a_phrase_of_bigrams_checks_every_other_one() {
        let parsed = parse_query("中华人民共和国");
        let shape = parsed.parts[0].shape();
        assert_eq!(
            shape.anchored_tokens(),
            [(0, "中华"), (2, "人民"), (4, "共和"), (5, "和国")]
        );
        let parsed = parse_query("人民政府");
        assert_eq!(
            parsed.parts[0].shape().anchored_tokens(),
            [(0, "人民"), (2, "政府")]
        );
        // Words and lone characters are never dropped.
        let parsed = parse_query("2019年度");
        let shape = parsed.parts[0].shape();
        assert_eq!(shape.anchored_tokens().len(), shape.tokens.len());
    }

    #[test]
    fn question_words_say_what_is_asked_in_the_laws_words() {
        assert_eq!(intent_words("买假文凭犯法吗"), ["犯罪", "刑事"]);
        assert_eq!(intent_words("家电爆炸伤人谁负责"), ["责任", "赔偿"]);
        assert_eq!(intent_words("排污达标了毒死了鱼还要赔吗"), ["责任", "赔偿"]);
        assert_eq!(intent_words("狗咬了人主人要不要赔"), ["责任", "赔偿"]);
        assert_eq!(
            intent_words("公务员玩忽职守造成多大损失会被判刑"),
            ["重大损失", "犯罪", "刑事"]
        );
        // Not a crime asked about: a loss's size alone asks nothing.
        assert!(intent_words("车祸造成多大损失保险公司全赔").is_empty());
        assert_eq!(intent_words("住宅用地能用多少年"), ["期限", "年限"]);
        // Two asks, each word once; nothing asked, nothing added.
        assert_eq!(
            intent_words("坐牢几年要赔多少"),
            ["犯罪", "刑事", "责任", "赔偿", "期限", "年限"]
        );
        assert_eq!(intent_words("对派出所的罚款不服怎么办"), ["复议", "诉讼"]);
        assert_eq!(intent_words("闯红灯扣几分"), ["记分"]);
        assert!(asks("闯红灯扣几分"));
        // How much money makes a crime asks for an amount, not a fee; a tax's threshold not.
        assert_eq!(
            intent_words("当官的收了多少钱就够判刑了"),
            ["数额较大", "数额", "犯罪", "刑事"]
        );
        assert_eq!(intent_words("工资多少钱以上要交税"), ["费用", "收费标准"]);
        // An age under 18 makes a minor; `几岁` asks an age.
        assert_eq!(
            intent_words("十五岁的孩子抢同学零花钱算犯罪吗"),
            ["未成年人", "犯罪", "刑事"]
        );
        assert_eq!(intent_words("孩子几岁可以上幼儿园"), ["年龄"]);
        assert_eq!(
            stated_ages("十岁 8周岁 两岁 三十五岁 16岁 几岁 岁"),
            [10, 8, 2, 35, 16]
        );
        assert!(intent_words("二十岁能结婚吗").is_empty());
        // `几` with a measure word, `哪国`, and a choice put with `还是`.
        assert!(asks("农村一户能有几处宅基地"));
        assert!(asks("有限公司最多能有几个股东"));
        // 还是 is set aside after 是否, whose 还 may end a verb (退还): no 否 is left.
        assert!(content_words("押金不退还是否合法").is_some_and(|words| !words.contains('否')));
        assert!(holds_question_form("打官司多少钱"));
        assert!(holds_question_form("自杀赔不赔"));
        assert!(holds_question_form("产假多长"));
        assert!(!holds_question_form("诉讼费"));
        assert!(asks("跟外国人结婚适用哪国法律"));
        assert!(asks("小区车位是归业主还是开发商"));
        assert!(content_words("小区车位是归业主还是开发商")
            .is_some_and(|words| words.contains("开发商") && !words.contains("还是")));
        // An action verb set aside stays where it names a thing with the word after it.
        assert_eq!(
            content_words("起诉期限最长多久").as_deref(),
            Some("起诉期限最长")
        );
        assert_eq!(content_words("怎么起诉离婚").as_deref(), Some("离婚"));
        // Action verbs are set aside word by word, but before what they name.
        assert_eq!(
            without_action_words("处罚处理申请申报起诉期限", ' '),
            "    起诉期限"
        );
        // 多 before a measure asks how much of it, but not in a word of quantity.
        assert!(asks("多陡的山坡不能开荒种庄稼"));
        assert!(!asks("很多高校的学生"));
        assert!(!asks("多快好省地建设"));
        assert_eq!(
            content_words("多陡的山坡不能开荒种庄稼").as_deref(),
            Some("山坡 开荒种庄稼")
        );
        assert!(asks("楼房盖多高要装电梯"));
        // 谁来 asks whoever's verb follows (no law says it).
        assert!(asks("帮邻居盖房摔伤了谁来赔"));
        assert_eq!(
            content_words("帮邻居盖房摔伤了谁来赔").as_deref(),
            Some("帮邻居盖房摔伤")
        );
        assert!(asks("没卖出去的空房物业费谁出"));
        assert!(!asks("谁污染谁治理"));
        // 欠 split by 了 is read joined: 欠税.
        assert_eq!(
            content_words("欠了税还能出国吗").as_deref(),
            Some("欠税 出国")
        );
        assert_eq!(intent_words("帮邻居盖房摔伤了谁来赔"), ["责任", "赔偿"]);
        assert!(asks("工厂偷排污水向哪举报"));
        assert_eq!(
            content_words("楼上装修太吵向哪投诉").as_deref(),
            Some("楼上装修太吵")
        );
        // A word ending in 向 or 往 keeps it when 哪些 or 哪里 follows.
        assert_eq!(content_words("资金流向哪里").as_deref(), Some("资金流向"));
        assert_eq!(content_words("救护车几分钟到").as_deref(), Some("救护车"));
        assert!(intent_words("工伤保险条例").is_empty());
    }

    #[test]
    fn function_characters_and_fillers_do_not_stick_to_the_words() {
        // `能`, `要`, `会` … stuck to a word make bigrams no law holds (`树能`).
        assert_eq!(
            content_words("小区门口的大树能自己砍掉吗").as_deref(),
            Some("小区门口 大树 砍掉")
        );
        assert_eq!(
            content_words("在银行存一大笔现金会被上报吗").as_deref(),
            Some("银行存 现金 上报")
        );
        // `向` before whom a citizen asks, and the time they ask at, say nothing of the
        // matter (`向政` is no word); in a word of its own `向` stays (`流向`).
        assert_eq!(
            content_words("向政府申请办证多少天内要给答复").as_deref(),
            Some("政府 办证 答复")
        );
        assert_eq!(content_words("公司如今还能投诉吗").as_deref(), Some("公司"));
        // Not `目前` inside a word: `项目前期` keeps its `项目`.
        assert_eq!(
            content_words("建设项目前期要办哪些手续").as_deref(),
            Some("建设项目前期 手续")
        );
        // In a word of their own they stay: `社会`, `还款`, `要约`, `个人`.
        assert_eq!(
            content_words("社会保险还款要约个人信息怎么办").as_deref(),
            Some("社会保险还款要约个人信息")
        );
        // `必须` stays: the laws say it with the words asked about (`必须火化`).
        assert_eq!(
            content_words("老人去世了必须火化吗").as_deref(),
            Some("老人去世 必须火化")
        );
        // Lone characters left next to each other are one word (`养的猪` → `养猪`).
        assert_eq!(
            content_words("我家养的猪突然死了要向哪报告").as_deref(),
            Some("养猪死 报告")
        );
    }

    #[test]
    fn the_set_aside_words_leave_nothing_of_themselves_behind() {
        // The list's A不A forms go whole before the rule for the others.
        assert_eq!(
            content_words("公积金可不可以取出来").as_deref(),
            Some("公积金 取出来")
        );
        assert!(lone_characters("开网店合不合法").is_empty());
        // Fillers are not cut out of the laws' terms.
        assert_eq!(
            content_words("一般纳税人怎么申请").as_deref(),
            Some("一般纳税人")
        );
        assert_eq!(
            content_words("经常居住地怎么认定").as_deref(),
            Some("经常居住地")
        );
        // Lone characters are not joined across a question word or a linking 被, and stay
        // lone characters for the titles.
        assert_eq!(content_words("车被扣了怎么办").as_deref(), Some("车 扣"));
        assert_eq!(lone_characters("新买的房要交多少税"), ["房", "税"]);
        // Nor the copula of `是什么` (`低保是` would look for `保是`).
        assert_eq!(content_words("低保是什么").as_deref(), Some("低保"));
        assert_eq!(content_words("低保是什么样的").as_deref(), Some("低保"));
        // The phrases the synonym list is looked up in keep the function characters but
        // not the action verbs: `成立个协会` is there, `起诉` is not.
        assert_eq!(
            question_phrases("我们几个人想成立个协会要什么条件")
                .map(|text| text.contains("成立个协会")),
            Some(true)
        );
        assert_eq!(
            question_phrases("被打了可以起诉吗").map(|text| text.contains("起诉")),
            Some(false)
        );
        assert_eq!(
            question_phrases("帮家里人藏了偷来的东西会判刑吗")
                .map(|text| text.contains("偷来的东西")),
            Some(true)
        );
        assert_eq!(question_phrases("收费清单"), None);
    }

    #[test]
    fn a_not_a_and_which_ask() {
        assert!(asks("申请仲裁收不收费"));
        assert_eq!(content_words("申请仲裁收不收费").as_deref(), Some("仲裁"));
        assert!(asks("赔偿按哪个时候的价格算"));
        assert!(asks("体检费该谁出"));
        // `几个` alone is prose (`几个方面`); `几个人` asks.
        assert!(asks("办合作社最少要几个人"));
        assert!(!asks("区域和其他几个"));
        // A不A needs the same character twice: `不` alone asks nothing.
        assert!(!asks("不动产登记暂行条例"));
    }

    #[test]
    fn questions_keep_their_content_words() {
        assert_eq!(
            content_words("酒后开车会被怎么处罚").as_deref(),
            Some("酒后开车")
        );
        assert_eq!(
            content_words("办理居住证需要什么条件").as_deref(),
            Some("居住证 条件")
        );
        assert_eq!(
            content_words("孩子上学要交学费吗").as_deref(),
            Some("孩子上学 学费")
        );
        assert_eq!(
            content_words("公积金可不可以提取").as_deref(),
            Some("公积金")
        );
        // A longer question word goes before the shorter one it holds.
        assert_eq!(content_words("医保找哪个部门").as_deref(), Some("医保"));
        assert_eq!(content_words("社保卡去哪里办").as_deref(), Some("社保卡"));
        // The preposition of 跟谁 goes with it (`孩子跟` is no word).
        assert_eq!(
            content_words("离婚后孩子跟谁").as_deref(),
            Some("离婚后孩子")
        );
        // A verb split by an aspect particle is asked about joined; 了解 and 过户 stay.
        assert_eq!(content_words("离了婚孩子归谁").as_deref(), Some("离婚孩子"));
        assert_eq!(
            content_words("在国外离的婚国内承认吗").as_deref(),
            Some("国外离婚国内承认")
        );
        assert_eq!(
            content_words("坐过牢能考公务员吗").as_deref(),
            Some("坐牢 考公务员")
        );
        assert_eq!(content_words("车辆过户怎么办").as_deref(), Some("车辆过户"));
        // A possessive 的 before a noun splits no verb: 住的院子 is no 住院.
        assert_eq!(
            content_words("我住的院子被拆了怎么办").as_deref(),
            Some("我住 院子")
        );
        // The intent of a split verb is heard: 犯了法 asks whether it is a crime.
        assert_eq!(intent_words("偷东西犯了法吗"), ["犯罪", "刑事"]);
        // A vague amount in a statement is no question.
        assert!(!asks("被骗了十几万"));
        // Dates and counts are asked for like amounts.
        assert_eq!(
            content_words("公司年报截止到几月").as_deref(),
            Some("公司年报截止到")
        );
        // A question word ending in a particle is a question word, not `违法` to look for.
        assert_eq!(
            content_words("楼道堆杂物违法吗").as_deref(),
            Some("楼道堆杂物")
        );
        assert_eq!(content_words("收费清单"), None);
        assert_eq!(content_words("网吧"), None);
        assert_eq!(content_words("网吧？"), None);
        // One particle ends a question; a second belongs to a word.
        assert_eq!(
            content_words("未成年人可以去网吧吗").as_deref(),
            Some("未成年人 去网吧")
        );
        // Lone characters are no words, but still say what a question is about.
        assert_eq!(
            content_words("自己住的房子要交税吗").as_deref(),
            Some("房子")
        );
        assert_eq!(
            content_characters("自己住的房子要交税吗").as_deref(),
            Some("住 房子 税")
        );
        assert_eq!(content_characters("收费清单"), None);
        assert_eq!(lone_characters("买新车要交多少税"), ["税"]);
        assert_eq!(lone_characters("自己住的房子要交税吗"), ["住", "税"]);
        assert!(lone_characters("收费清单").is_empty());
        assert!(lone_characters("税是什么").is_empty());
        assert_eq!(content_words("怎么办？"), None);
        assert_eq!(content_words(""), None);
    }

    #[test]
    fn a_question_drops_its_verbs_and_links_but_keeps_a_lone_verb() {
        assert_eq!(
            content_words("广告虚假宣传怎么投诉").as_deref(),
            Some("广告虚假宣传")
        );
        assert_eq!(
            content_words("孩子被学校欺负怎么办").as_deref(),
            Some("孩子 学校欺负")
        );
        assert_eq!(
            content_words("身份证丢了怎么补办").as_deref(),
            Some("身份证")
        );
        // A lone character between fillers is left out.
        assert_eq!(
            content_words("偷东西多少钱会判刑").as_deref(),
            Some("偷东西")
        );
        // `被人` of `被人民法院` is no question word (which left `民法院`); `被` links, and
        // `判刑` is a verb.
        assert_eq!(
            content_words("被人民法院判刑了怎么办").as_deref(),
            Some("人民法院")
        );
        assert_eq!(content_words("被人骗了怎么办").as_deref(), Some("骗"));
        // Nothing but a verb: the verb is the question's content.
        assert_eq!(content_words("怎么投诉").as_deref(), Some("投诉"));
        // Whatever the text, no panic and no empty content.
        for text in ["了了了", "被被被吗", "的", "吗吗？？", "怎么 的 办"] {
            assert_ne!(content_words(text).as_deref(), Some(""));
        }
    }

    #[test]
    fn a_question_asks_and_a_phrase_of_a_law_does_not() {
        for question in [
            "酒后开车会被怎么处罚",
            "电动车要上牌吗",
            "养老保险交满多少年",
            "社保？",
            "包工头跑了工钱找谁要",
            "打麻将带彩算不算赌博",
            // 谁 and 几个 alone are prose words; with what they ask about, questions.
            "离婚后孩子跟谁",
            "一天最多上几个小时班",
        ] {
            assert!(asks(question), "{question}");
        }
        // Question words that laws use all the time: a phrase copied from a law.
        for phrase in [
            "区域和其他需要特",
            "照下列规定办理审批手续",
            "委员会可以请求",
            "已经收到了",
            "谁污染谁治理",
            // A question word whose last character begins a word of the law: no question.
            "企业被人民法院宣告破产后",
            "重要交通枢纽",
            "选择性别人工终止妊娠",
            // A word ending in what elsewhere is a particle: a place, not a question.
            "网吧",
        ] {
            assert!(!asks(phrase), "{phrase}");
        }
        assert!(!asks(""));
    }

    #[test]
    fn a_question_word_comes_before_every_shorter_one_it_holds() {
        for (at, word) in QUESTION_WORDS.iter().enumerate() {
            for earlier in &QUESTION_WORDS[..at] {
                assert!(
                    !word.contains(earlier),
                    "{earlier} would be set aside before {word}, which holds it"
                );
            }
        }
    }

    #[test]
    fn repeated_parts_count_once() {
        assert_eq!(parts("公安 公安"), [(vec!["公安"], false)]);
    }
}
