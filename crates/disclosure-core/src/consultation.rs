//! Consultation on major decisions (重大行政决策意见征集): the consultation, its status at a
//! moment, an opinion and its validation, receipt numbers, the officials' responses and
//! the masking of names for publication. Shared by the feedback form (which checks what
//! the citizen typed before sending) and the opinion server (which checks it again).

use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

/// A draft decision put to the public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consultation {
    pub id: String,
    pub title: String,
    pub department: String,
    /// First and last day of the period (inclusive), in China Standard Time.
    #[serde(with = "iso_date")]
    pub start: Date,
    #[serde(with = "iso_date")]
    pub end: Date,
    /// 征求意见稿.
    pub draft_url: String,
    /// 起草说明.
    #[serde(default)]
    pub explanation_url: Option<String>,
    /// Numbered clauses opinions may address; none means opinions are on the whole.
    #[serde(default)]
    pub clauses: Vec<Clause>,
    /// Set when officials publish the results (反馈).
    #[serde(default, with = "iso_date_option")]
    pub results_published: Option<Date>,
    /// The period the rules ask for, so a shorter one can be explained.
    #[serde(default)]
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clause {
    pub number: u32,
    pub title: String,
}

/// Where a consultation stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsultationStatus {
    /// 未开始.
    NotStarted,
    /// 征集中.
    Open,
    /// 已结束: the period is over, results not yet published.
    Closed,
    /// 已反馈: results published.
    Answered,
}

impl ConsultationStatus {
    pub fn word(self) -> &'static str {
        match self {
            ConsultationStatus::NotStarted => "未开始",
            ConsultationStatus::Open => "征集中",
            ConsultationStatus::Closed => "已结束",
            ConsultationStatus::Answered => "已反馈",
        }
    }
}

/// The rules ask for a period of at least this many days.
pub const NORMAL_PERIOD_DAYS: i64 = 30;

impl Consultation {
    pub fn status_on(&self, today: Date) -> ConsultationStatus {
        if self.results_published.is_some() {
            ConsultationStatus::Answered
        } else if today < self.start {
            ConsultationStatus::NotStarted
        } else if today <= self.end {
            ConsultationStatus::Open
        } else {
            ConsultationStatus::Closed
        }
    }

    /// The period's length in days, both ends included.
    pub fn period_days(&self) -> i64 {
        (self.end - self.start).whole_days() + 1
    }

    /// The label of a clause, or 总体意见 for an opinion on the whole.
    pub fn clause_label(&self, clause: Option<u32>) -> String {
        match clause.and_then(|n| self.clauses.iter().find(|c| c.number == n)) {
            Some(clause) => format!("第{}条 {}", clause.number, clause.title),
            None => OVERALL.to_string(),
        }
    }

    /// Checks the consultation itself, as officials write it (the server's import of a
    /// consultations file): an id, a title, and an end not before the start.
    pub fn check(&self) -> Result<(), ConsultationError> {
        if self.id.trim().is_empty() || self.title.trim().is_empty() {
            return Err(ConsultationError::Unnamed);
        }
        if self.end < self.start {
            return Err(ConsultationError::EndsBeforeStart {
                id: self.id.clone(),
                start: self.start,
                end: self.end,
            });
        }
        Ok(())
    }
}

/// What [`Consultation::check`] finds wrong with an imported consultation (for the
/// operator who imports the file: English).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsultationError {
    #[error("a consultation needs an id and a title")]
    Unnamed,
    #[error("{id}: ends ({end}) before it starts ({start})")]
    EndsBeforeStart { id: String, start: Date, end: Date },
}

/// An opinion on the draft as a whole.
pub const OVERALL: &str = "总体意见";

/// The longest opinion taken, in characters.
pub const MAX_OPINION_CHARS: usize = 5000;
const MAX_NAME_CHARS: usize = 50;
const MAX_EMAIL_CHARS: usize = 254;

/// An opinion as the citizen sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionDraft {
    /// Taken from the address the opinion is posted to, not from the body.
    #[serde(default)]
    pub consultation_id: String,
    /// The clause number, or none for 总体意见.
    #[serde(default)]
    pub clause: Option<u32>,
    pub text: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

/// The fields of the form, to attach a message to the right one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpinionField {
    Clause,
    Text,
    Name,
    Phone,
    Email,
}

/// What is wrong with one field, in words for the citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: OpinionField,
    pub message: String,
    /// The same message in English, for forms whose labels are English.
    #[serde(default)]
    pub english: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A checked opinion: text trimmed, contact fields normalised, empty ones absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOpinion {
    pub consultation_id: String,
    pub clause: Option<u32>,
    pub text: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl OpinionDraft {
    /// Checks every field against the consultation and returns all that is wrong at once,
    /// so the citizen can correct the form in one pass.
    pub fn validate(&self, consultation: &Consultation) -> Result<ValidOpinion, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut refuse = |field, message: String, english: String| {
            errors.push(FieldError {
                field,
                message,
                english,
            })
        };
        if let Some(number) = self.clause {
            if !consultation.clauses.iter().any(|c| c.number == number) {
                refuse(
                    OpinionField::Clause,
                    format!("征求意见稿没有第{number}条，请重新选择"),
                    format!("The draft has no clause {number}; choose again"),
                );
            }
        }
        let text = self.text.trim();
        let length = text.chars().count();
        if text.is_empty() {
            refuse(
                OpinionField::Text,
                "请填写意见内容".to_string(),
                "Write your opinion".to_string(),
            );
        } else if length > MAX_OPINION_CHARS {
            refuse(
                OpinionField::Text,
                format!(
                    "意见内容不能超过{MAX_OPINION_CHARS}字，现有{length}字，请删减{}字",
                    length - MAX_OPINION_CHARS
                ),
                format!(
                    "An opinion may have at most {MAX_OPINION_CHARS} characters; this one has {length}, {} too many",
                    length - MAX_OPINION_CHARS
                ),
            );
        } else if has_control_characters(text) {
            refuse(
                OpinionField::Text,
                "意见内容含有无法显示的控制字符，请删除后再提交".to_string(),
                "The opinion holds invisible control characters; remove them".to_string(),
            );
        }
        let name = self.name.trim();
        if name.chars().count() > MAX_NAME_CHARS {
            refuse(
                OpinionField::Name,
                format!("姓名不能超过{MAX_NAME_CHARS}字"),
                format!("A name may have at most {MAX_NAME_CHARS} characters"),
            );
        } else if has_control_characters(name) {
            refuse(
                OpinionField::Name,
                "姓名含有无法显示的控制字符".to_string(),
                "The name holds invisible control characters".to_string(),
            );
        }
        let phone = match normalise_phone(&self.phone) {
            Ok(phone) => phone,
            Err((message, english)) => {
                refuse(
                    OpinionField::Phone,
                    message.to_string(),
                    english.to_string(),
                );
                None
            }
        };
        let email = match normalise_email(&self.email) {
            Ok(email) => email,
            Err((message, english)) => {
                refuse(
                    OpinionField::Email,
                    message.to_string(),
                    english.to_string(),
                );
                None
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidOpinion {
            consultation_id: self.consultation_id.clone(),
            clause: self.clause,
            text: text.to_string(),
            name: (!name.is_empty()).then(|| name.to_string()),
            phone,
            email,
        })
    }
}

fn has_control_characters(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// A mainland mobile or landline number, with spaces, dashes and +86 allowed; returned as
/// digits (and the one dash of a landline).
/// A message in Chinese and in English.
type Message = (&'static str, &'static str);

fn normalise_phone(text: &str) -> Result<Option<String>, Message> {
    let folded: String = text
        .chars()
        .map(crate::text::fold_width)
        .filter(|c| !c.is_whitespace())
        .collect();
    if folded.is_empty() {
        return Ok(None);
    }
    if folded.chars().any(|c| c.is_alphabetic()) {
        return Err((
            "电话号码只能包含数字，请检查是否误输入了字母或汉字",
            "A phone number has digits only; check for letters or characters typed by mistake",
        ));
    }
    let national = folded
        .strip_prefix("+86")
        .or_else(|| folded.strip_prefix("0086"))
        .unwrap_or(&folded);
    let digits: String = national.chars().filter(|c| *c != '-').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err((
            "电话号码格式不正确，请填写手机号码或带区号的固定电话",
            "Not a phone number; give a mobile number or a landline with its area code",
        ));
    }
    let mobile = digits.len() == 11 && digits.starts_with('1');
    let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
    if mobile || landline {
        Ok(Some(digits))
    } else {
        Err((
            "电话号码位数不对：手机号码为11位，固定电话请加区号（如 0731-87654321）",
            "Wrong number of digits: a mobile number has 11; a landline needs its area code (0731-87654321)",
        ))
    }
}

fn normalise_email(text: &str) -> Result<Option<String>, Message> {
    let email: String = text.chars().map(crate::text::fold_width).collect();
    let email = email.trim();
    if email.is_empty() {
        return Ok(None);
    }
    if email.chars().count() > MAX_EMAIL_CHARS || email.chars().any(char::is_whitespace) {
        return Err(("电子邮箱格式不正确", "Not an e-mail address"));
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return Err((
            "电子邮箱缺少“@”，应如 name@example.com",
            "The e-mail address has no “@”; it looks like name@example.com",
        ));
    };
    if local.is_empty() {
        return Err((
            "电子邮箱“@”前缺少用户名，应如 name@example.com",
            "The e-mail address has nothing before “@”; it looks like name@example.com",
        ));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if domain.is_empty() || labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return Err((
            "电子邮箱缺少完整的域名，应如 name@example.com",
            "The e-mail address lacks a whole domain; it looks like name@example.com",
        ));
    }
    Ok(Some(email.to_string()))
}

/// The officials' response to one opinion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 采纳.
    Adopted,
    /// 部分采纳.
    PartlyAdopted,
    /// 未采纳.
    NotAdopted,
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Adopted => "采纳",
            Verdict::PartlyAdopted => "部分采纳",
            Verdict::NotAdopted => "未采纳",
        }
    }

    /// Checks a response: an opinion not (fully) adopted needs its reason, of at most
    /// [`MAX_OPINION_CHARS`] characters.
    pub fn check_reason(self, reason: &str) -> Result<(), ReasonError> {
        if self != Verdict::Adopted && reason.trim().is_empty() {
            return Err(ReasonError::Missing(self));
        }
        if reason.chars().count() > MAX_OPINION_CHARS {
            return Err(ReasonError::TooLong);
        }
        Ok(())
    }
}

/// What [`Verdict::check_reason`] finds wrong with a response's reason: a sentence for the
/// official who answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReasonError {
    #[error("“{}”须说明理由", .0.word())]
    Missing(Verdict),
    #[error("理由不能超过{MAX_OPINION_CHARS}字")]
    TooLong,
}

/// Two-character compound surnames, which keep both characters when a name is masked.
const COMPOUND_SURNAMES: [&str; 20] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "令狐", "轩辕", "端木", "独孤", "南宫", "西门", "澹台",
];

/// A name as published: the surname and a star per other character (张三 → 张*,
/// 欧阳娜娜 → 欧阳**); an empty name stays empty.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    let chars: Vec<char> = name.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let kept = if chars.len() > 2 && COMPOUND_SURNAMES.iter().any(|s| name.starts_with(s)) {
        2
    } else {
        1
    };
    let kept = kept
        .min(chars.len().saturating_sub(1))
        .max(if chars.len() == 1 { 0 } else { 1 });
    let mut masked: String = chars[..kept].iter().collect();
    masked.extend(std::iter::repeat_n('*', chars.len() - kept));
    masked
}

/// Receipt numbers: `YJ` + the day + six characters without look-alikes (no 0/O, 1/I/L),
/// easy to read out on the phone.
pub const RECEIPT_ALPHABET: &[u8; 30] = b"23456789ABCDEFGHJKMNPQRSTUVWXY";

/// Makes a receipt number from the day and six random values (each taken modulo the
/// alphabet), so the caller chooses the randomness.
pub fn receipt_number(day: Date, random: [u8; 6]) -> String {
    let code: String = random
        .iter()
        .map(|b| RECEIPT_ALPHABET[*b as usize % RECEIPT_ALPHABET.len()] as char)
        .collect();
    format!(
        "YJ{:04}{:02}{:02}-{code}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

/// Whether a text has the form of a receipt number (what people type is folded first).
pub fn normalise_receipt(text: &str) -> Option<String> {
    let folded: String = text
        .chars()
        .map(crate::text::fold_width)
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let (day, code) = folded.strip_prefix("YJ")?.split_once('-')?;
    let valid = day.len() == 8
        && day.bytes().all(|b| b.is_ascii_digit())
        && code.len() == 6
        && code.bytes().all(|b| RECEIPT_ALPHABET.contains(&b));
    valid.then(|| format!("YJ{day}-{code}"))
}

/// An opinion as the published results show it: no phone, no e-mail, the name masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedOpinion {
    pub clause: String,
    pub text: String,
    pub name: String,
    pub verdict: Option<Verdict>,
    pub reason: String,
}

/// The published results of a consultation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedResults {
    pub consultation_id: String,
    #[serde(with = "iso_date")]
    pub published: Date,
    pub total: u64,
    /// Opinions per clause label, in the order of the clauses, 总体意见 first.
    pub per_clause: Vec<(String, u64)>,
    pub opinions: Vec<PublishedOpinion>,
}

/// What the server answers to an opinion it stored: the receipt and the secret to look it
/// up with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub receipt: String,
    pub secret: String,
    pub received_at: String,
    /// True when this answers a retry of an opinion already received.
    #[serde(default)]
    pub repeated: bool,
}

/// What the server answers when it refuses: a sentence for the citizen, and the fields at
/// fault when the opinion itself was wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub error: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// Why a reviewer withholds an opinion from the published results; the author reads the
/// reason through the receipt lookup, and the results count each reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithholdReason {
    /// 辱骂、人身攻击.
    Abuse,
    /// 广告.
    Advertising,
    /// 与征求意见的内容无关.
    Unrelated,
    /// 同一内容重复提交.
    Duplicate,
}

impl WithholdReason {
    /// Every reason, in the order the results list them.
    pub const ALL: [WithholdReason; 4] = [
        WithholdReason::Abuse,
        WithholdReason::Advertising,
        WithholdReason::Unrelated,
        WithholdReason::Duplicate,
    ];

    /// The reason as the citizen reads it ("N 条意见因{word}未予公开").
    pub fn word(self) -> &'static str {
        match self {
            WithholdReason::Abuse => "含有辱骂或人身攻击内容",
            WithholdReason::Advertising => "属于广告信息",
            WithholdReason::Unrelated => "与本次征求意见内容无关",
            WithholdReason::Duplicate => "与已提交的意见重复",
        }
    }

    /// The stored spelling (`abuse` …), as in the API.
    pub fn key(self) -> &'static str {
        match self {
            WithholdReason::Abuse => "abuse",
            WithholdReason::Advertising => "advertising",
            WithholdReason::Unrelated => "unrelated",
            WithholdReason::Duplicate => "duplicate",
        }
    }

    /// The reason a stored spelling names.
    pub fn from_key(key: &str) -> Option<WithholdReason> {
        WithholdReason::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// A span of an opinion's text in characters (Unicode scalar values, end exclusive), the
/// unit the detector's highlights and the console use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CharSpan {
    pub start: usize,
    pub end: usize,
}

/// The reviewer's decision on one opinion before the results are published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "decision")]
pub enum Moderation {
    /// Published, with these spans replaced by ＊＊＊ (reason [`REDACTION_REASON`]). Every
    /// span the personal-data screen finds must be among them.
    Publish {
        #[serde(default)]
        redactions: Vec<CharSpan>,
    },
    /// Not published; counted under its reason.
    Withhold { reason: WithholdReason },
}

/// The reason shown beside an opinion with redacted spans.
pub const REDACTION_REASON: &str = "涉及个人信息";

/// Why a reviewer's redactions cannot be applied to an opinion; each a sentence for the
/// official (positions in characters, counted from 1; never the data itself).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModerationError {
    #[error("隐去范围（第{}至{}字）超出了意见全文（共{len}字），请刷新后重新选择", .start + 1, .end)]
    BeyondEnd { start: usize, end: usize, len: usize },
    #[error("隐去范围（第{}字起）是空的，请重新选择", .start + 1)]
    Empty { start: usize },
    #[error("两处隐去范围（第{}字起和第{}字起）重叠，请合并后再提交", .first + 1, .second + 1)]
    Overlapping { first: usize, second: usize },
    #[error("意见第{}至{}字的{kind}尚未隐去；系统识别出的个人信息须全部隐去后才能公开", .start + 1, .end)]
    Uncovered {
        kind: &'static str,
        start: usize,
        end: usize,
    },
}

/// Checks a reviewer's redactions against the opinion's text: every span within the text,
/// none empty or overlapping another, and every piece of personal data the screen finds
/// inside one. Returns the spans as byte ranges, ready for
/// [`crate::personal_data::redact`].
pub fn check_redactions(
    text: &str,
    spans: &[CharSpan],
) -> Result<Vec<std::ops::Range<usize>>, ModerationError> {
    let len = text.chars().count();
    let mut sorted = spans.to_vec();
    sorted.sort_by_key(|s| (s.start, s.end));
    for span in &sorted {
        if span.end > len || span.start > len {
            return Err(ModerationError::BeyondEnd {
                start: span.start,
                end: span.end,
                len,
            });
        }
        if span.start >= span.end {
            return Err(ModerationError::Empty { start: span.start });
        }
    }
    for pair in sorted.windows(2) {
        if pair[1].start < pair[0].end {
            return Err(ModerationError::Overlapping {
                first: pair[0].start,
                second: pair[1].start,
            });
        }
    }
    for found in crate::personal_data::detect(text) {
        let covered = sorted
            .iter()
            .any(|s| s.start <= found.chars.start && found.chars.end <= s.end);
        if !covered {
            return Err(ModerationError::Uncovered {
                kind: found.kind.word(),
                start: found.chars.start,
                end: found.chars.end,
            });
        }
    }
    // Byte offsets of every character boundary, the text's end included.
    let offsets: Vec<usize> = text
        .char_indices()
        .map(|(at, _)| at)
        .chain(std::iter::once(text.len()))
        .collect();
    Ok(sorted
        .iter()
        .map(|s| offsets[s.start]..offsets[s.end])
        .collect())
}

/// The text of an opinion as published: the reviewer's spans replaced by ＊＊＊, then, as a
/// last guard, anything the personal-data screen still finds. Spans that do not fit the
/// text (a list made for another text) withhold the whole text rather than risk data in
/// clear. The second value says whether anything was redacted.
pub fn published_text(text: &str, spans: &[CharSpan]) -> (String, bool) {
    let redacted = check_redactions(text, spans)
        .ok()
        .and_then(|bytes| crate::personal_data::redact(text, &bytes).ok());
    match redacted {
        Some(redacted) => {
            let guarded = crate::personal_data::redact_detected(&redacted);
            let changed = guarded != text;
            (guarded, changed)
        }
        None => (crate::personal_data::REDACTION.to_string(), true),
    }
}

/// An opinion on the published page: [`PublishedOpinion`]'s fields, and the reason of its
/// redactions when part of it was hidden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicOpinion {
    #[serde(flatten)]
    pub opinion: PublishedOpinion,
    /// [`REDACTION_REASON`] when spans were replaced by ＊＊＊.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redaction_reason: Option<String>,
}

/// How many opinions were withheld for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithheldCount {
    pub reason: WithholdReason,
    pub count: u64,
    /// The sentence the page shows: "2 条意见因与已提交的意见重复未予公开".
    pub sentence: String,
}

/// The published results as the API serves them: the fields of [`PublishedResults`] (so a
/// reader of that shape still reads it), the officials' 意见采纳情况说明 shown above the
/// opinions, and the opinions withheld, counted by reason. `total` and `per_clause` count
/// every opinion received; `opinions` holds the published ones only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsPage {
    pub consultation_id: String,
    #[serde(with = "iso_date")]
    pub published: Date,
    pub total: u64,
    pub per_clause: Vec<(String, u64)>,
    pub opinions: Vec<PublicOpinion>,
    /// 意见采纳情况说明; may be empty.
    #[serde(default)]
    pub statement: String,
    #[serde(default)]
    pub withheld: Vec<WithheldCount>,
}

/// The sentence for opinions withheld for a reason.
pub fn withheld_sentence(count: u64, reason: WithholdReason) -> String {
    format!("{count} 条意见因{}未予公开", reason.word())
}

/// What a consultation's page shows while it is open: how many opinions arrived, in total
/// and per clause (总体意见 first), and nothing of their content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveCounts {
    pub consultation_id: String,
    pub total: u64,
    pub per_clause: Vec<(String, u64)>,
}

impl Consultation {
    /// Counts per clause label, 总体意见 first then the clauses in order, from the clause
    /// numbers of the opinions received (an unknown number counts as 总体意见).
    pub fn count_per_clause(&self, clauses: impl IntoIterator<Item = Option<u32>>) -> Vec<(String, u64)> {
        let mut counts: Vec<(String, u64)> = std::iter::once(OVERALL.to_string())
            .chain(self.clauses.iter().map(|c| self.clause_label(Some(c.number))))
            .map(|label| (label, 0))
            .collect();
        for clause in clauses {
            let label = self.clause_label(clause);
            if let Some((_, count)) = counts.iter_mut().find(|(l, _)| *l == label) {
                *count += 1;
            }
        }
        counts
    }
}

/// A consultation as an editor writes it in the console (stored as a [`Consultation`], its
/// drafts uploaded apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationForm {
    /// The id in addresses: 3 to 64 lower-case letters, digits and hyphens.
    pub id: String,
    pub title: String,
    pub department: String,
    #[serde(with = "iso_date")]
    pub start: Date,
    #[serde(with = "iso_date")]
    pub end: Date,
    #[serde(default)]
    pub clauses: Vec<Clause>,
    /// Why the period is shorter than [`NORMAL_PERIOD_DAYS`]; required then, and shown to
    /// citizens (《重大行政决策程序暂行条例》).
    #[serde(default)]
    pub short_period_reason: String,
    /// A link to the draft instead of an upload.
    #[serde(default)]
    pub draft_url: Option<String>,
    /// A link to the explanation instead of an upload.
    #[serde(default)]
    pub explanation_url: Option<String>,
}

/// What is wrong with a consultation form or a change to it: a sentence for the official.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FormError(pub String);

const MAX_TITLE_CHARS: usize = 200;

impl ConsultationForm {
    /// Checks the form: id, title and department, a period that ends after it starts,
    /// clauses numbered 1, 2, 3 … with titles, links that are relative or HTTPS, and the
    /// reason when the period is shorter than 30 days. Returns the first fault.
    pub fn check(&self) -> Result<(), FormError> {
        let fail = |m: String| Err(FormError(m));
        let id_ok = (3..=64).contains(&self.id.len())
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return fail("编号应为3至64个小写字母、数字或连字符，如 2027-parking".into());
        }
        for (what, value) in [("标题", &self.title), ("起草部门", &self.department)] {
            let n = value.trim().chars().count();
            if n == 0 {
                return fail(format!("请填写{what}"));
            }
            if n > MAX_TITLE_CHARS || has_control_characters(value) {
                return fail(format!("{what}不能超过{MAX_TITLE_CHARS}字，且不能含控制字符"));
            }
        }
        if self.end < self.start {
            return fail(format!(
                "截止日期（{}）早于开始日期（{}）",
                self.end, self.start
            ));
        }
        for (index, clause) in self.clauses.iter().enumerate() {
            if clause.number as usize != index + 1 {
                return fail(format!(
                    "条款应从第1条起连续编号，第{}项的编号是{}",
                    index + 1,
                    clause.number
                ));
            }
            let n = clause.title.trim().chars().count();
            if n == 0 || n > MAX_TITLE_CHARS {
                return fail(format!("第{}条缺少标题或标题过长", clause.number));
            }
        }
        for link in [&self.draft_url, &self.explanation_url].into_iter().flatten() {
            let link = link.trim();
            let fine = link.starts_with("https://")
                || (link.starts_with('/') && !link.starts_with("//"))
                || (!link.contains(':') && !link.starts_with("//") && !link.is_empty());
            if !fine || link.chars().any(char::is_whitespace) {
                return fail("链接应为 https:// 开头的地址或本站的相对地址".into());
            }
        }
        let days = (self.end - self.start).whole_days() + 1;
        if days < NORMAL_PERIOD_DAYS && self.short_period_reason.trim().is_empty() {
            return fail(format!(
                "征集期为{days}天，少于{NORMAL_PERIOD_DAYS}天，须说明理由（将向公众公开）"
            ));
        }
        Ok(())
    }

    /// The consultation this form describes; `draft_url` and `explanation_url` are the
    /// form's links or those of the uploaded files (empty when neither).
    pub fn to_consultation(&self, draft_url: Option<String>, explanation_url: Option<String>) -> Consultation {
        Consultation {
            id: self.id.clone(),
            title: self.title.trim().to_string(),
            department: self.department.trim().to_string(),
            start: self.start,
            end: self.end,
            draft_url: draft_url.or_else(|| self.draft_url.clone()).unwrap_or_default(),
            explanation_url: explanation_url.or_else(|| self.explanation_url.clone()),
            clauses: self.clauses.clone(),
            results_published: None,
            summary: String::new(),
        }
    }
}

/// What a change to an opened consultation did to its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodChange {
    Unchanged,
    /// The end moved later (logged).
    Extended,
}

/// Checks a change to a consultation: before it opens anything goes; after, the start
/// stays, the end may only move later, and the clauses stay once opinions arrived.
pub fn check_change(
    before: &Consultation,
    after: &ConsultationForm,
    opened: bool,
    opinions: u64,
) -> Result<PeriodChange, FormError> {
    after.check()?;
    if after.id != before.id {
        return Err(FormError("意见征集的编号不能修改".into()));
    }
    if !opened {
        return Ok(PeriodChange::Unchanged);
    }
    if after.start != before.start {
        return Err(FormError(
            "征集已开始，开始日期不能再修改".into(),
        ));
    }
    if after.end < before.end {
        return Err(FormError(format!(
            "征集已开始，截止日期只能延后，不能提前（现为{}）",
            before.end
        )));
    }
    if opinions > 0 && after.clauses != before.clauses {
        return Err(FormError(format!(
            "已收到{opinions}条意见，条款不能再修改（意见按条款编号收集）"
        )));
    }
    Ok(if after.end > before.end {
        PeriodChange::Extended
    } else {
        PeriodChange::Unchanged
    })
}

/// The kinds of file a draft or its explanation may be uploaded as, told by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Pdf,
    /// Word 97–2003 (an OLE2 compound file with a WordDocument stream).
    Doc,
    /// Office Open XML (a ZIP with `word/document.xml`).
    Docx,
    /// 版式文档 OFD, GB/T 33190 (a ZIP with `OFD.xml` at its root).
    Ofd,
}

impl DocumentKind {
    /// The media type the file is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "application/pdf",
            DocumentKind::Doc => "application/msword",
            DocumentKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            DocumentKind::Ofd => "application/ofd",
        }
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "pdf",
            DocumentKind::Doc => "doc",
            DocumentKind::Docx => "docx",
            DocumentKind::Ofd => "ofd",
        }
    }

    /// The kind of a file from its bytes (never its name): PDF by `%PDF-`, DOC by the OLE2
    /// signature and a WordDocument stream, DOCX and OFD by the ZIP's central directory.
    /// Anything else — an executable renamed `.pdf`, a spreadsheet, an archive — is `None`.
    pub fn sniff(bytes: &[u8]) -> Option<DocumentKind> {
        const OLE2: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        if bytes.starts_with(b"%PDF-") {
            return Some(DocumentKind::Pdf);
        }
        if bytes.starts_with(&OLE2) {
            let stream: Vec<u8> = "WordDocument"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect();
            return bytes
                .windows(stream.len())
                .any(|w| w == stream.as_slice())
                .then_some(DocumentKind::Doc);
        }
        if bytes.starts_with(b"PK\x03\x04") {
            let names = zip_entry_names(bytes)?;
            if names.iter().any(|n| n == b"word/document.xml") {
                return Some(DocumentKind::Docx);
            }
            if names.iter().any(|n| n == b"OFD.xml") {
                return Some(DocumentKind::Ofd);
            }
        }
        None
    }
}

/// The entry names of a ZIP file, from its central directory; `None` when it cannot be
/// read (truncated, or no end record in the last 64 KiB).
fn zip_entry_names(bytes: &[u8]) -> Option<Vec<Vec<u8>>> {
    let u16_at = |at: usize| -> Option<usize> {
        Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?) as usize)
    };
    let u32_at = |at: usize| -> Option<usize> {
        Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize)
    };
    let search_from = bytes.len().saturating_sub(22 + 65_535);
    let end = (search_from..bytes.len().saturating_sub(21))
        .rev()
        .find(|&at| bytes.get(at..at + 4) == Some(b"PK\x05\x06"))?;
    let entries = u16_at(end + 10)?;
    let mut at = u32_at(end + 16)?;
    let mut names = Vec::with_capacity(entries.min(1024));
    for _ in 0..entries.min(10_000) {
        if bytes.get(at..at + 4)? != b"PK\x01\x02" {
            return None;
        }
        let name_len = u16_at(at + 28)?;
        let extra_len = u16_at(at + 30)?;
        let comment_len = u16_at(at + 32)?;
        names.push(bytes.get(at + 46..at + 46 + name_len)?.to_vec());
        at = at + 46 + name_len + extra_len + comment_len;
    }
    Some(names)
}

/// Where a major decision stands in the year's catalogue (年度重大行政决策事项目录).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionStage {
    /// 拟定中.
    Drafting,
    /// 征求意见中.
    Consulting,
    /// 审议中.
    Deliberating,
    /// 已公布.
    Published,
}

impl DecisionStage {
    pub fn word(self) -> &'static str {
        match self {
            DecisionStage::Drafting => "拟定中",
            DecisionStage::Consulting => "征求意见中",
            DecisionStage::Deliberating => "审议中",
            DecisionStage::Published => "已公布",
        }
    }
}

/// One decision of the year's catalogue as officials write it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueForm {
    /// The year of the catalogue, 2000 to 2100.
    pub year: i32,
    pub title: String,
    pub department: String,
    pub stage: DecisionStage,
    /// The consultation on it, when there is one (its page and results link from it).
    #[serde(default)]
    pub consultation_id: Option<String>,
    /// Where the decision itself is published, once it is (https or a site path).
    #[serde(default)]
    pub decision_url: Option<String>,
}

impl CatalogueForm {
    /// Checks the entry: a plausible year, a title and department, a link that is HTTPS or
    /// of the site. Returns the first fault as a sentence.
    pub fn check(&self) -> Result<(), FormError> {
        if !(2000..=2100).contains(&self.year) {
            return Err(FormError(format!("年度{}不正确", self.year)));
        }
        for (what, value) in [("决策事项名称", &self.title), ("承办单位", &self.department)] {
            let n = value.trim().chars().count();
            if n == 0 || n > MAX_TITLE_CHARS || has_control_characters(value) {
                return Err(FormError(format!("请填写{what}（不超过{MAX_TITLE_CHARS}字）")));
            }
        }
        if let Some(link) = &self.decision_url {
            let link = link.trim();
            let fine = link.starts_with("https://") || (link.starts_with('/') && !link.starts_with("//"));
            if !fine || link.chars().any(char::is_whitespace) {
                return Err(FormError("决策公布链接应为 https:// 开头的地址或本站的地址".into()));
            }
        }
        Ok(())
    }
}

/// One decision as the catalogue publishes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueEntry {
    pub id: String,
    #[serde(flatten)]
    pub form: CatalogueForm,
    pub stage_word: String,
    /// Whether the consultation's results are published (the widget links to them).
    #[serde(default)]
    pub results_published: bool,
}

/// A year's catalogue of major decisions as `/api/catalogue/{year}` publishes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueYear {
    pub year: i32,
    pub entries: Vec<CatalogueEntry>,
}

/// What a citizen sees of their own opinion through the receipt lookup
/// (`POST /api/receipts`): the opinion, where it stands and, once the results are
/// published, the response, or why it was not published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionStatus {
    pub receipt: String,
    pub consultation_id: String,
    pub consultation_title: String,
    pub clause: String,
    pub text: String,
    pub received_at: String,
    /// 已收到，正在研究, 已反馈 or 未予公开.
    pub state: String,
    /// The verdict in words, once published.
    #[serde(default)]
    pub verdict: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    /// Why the opinion was not published, once the results are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld: Option<String>,
}

/// Serde for dates as `YYYY-MM-DD`, the form the JSON files and the API use.
pub mod iso_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&date.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        crate::parse_date(&text).map_err(serde::de::Error::custom)
    }
}

/// [`iso_date`] for optional dates.
pub mod iso_date_option {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => serializer.serialize_str(&date.to_string()),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Date>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            Some(text) => crate::parse_date(&text)
                .map(Some)
                .map_err(serde::de::Error::custom),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn consultation() -> Consultation {
        Consultation {
            id: "2026-parking".into(),
            title: "宁乡市城区停车管理办法（征求意见稿）".into(),
            department: "宁乡市城市管理和综合执法局".into(),
            start: date!(2026 - 11 - 01),
            end: date!(2026 - 11 - 30),
            draft_url: "/zqyj/2026-parking.html".into(),
            explanation_url: None,
            clauses: vec![
                Clause {
                    number: 1,
                    title: "适用范围".into(),
                },
                Clause {
                    number: 2,
                    title: "收费标准".into(),
                },
            ],
            results_published: None,
            summary: String::new(),
        }
    }

    fn draft(text: &str) -> OpinionDraft {
        OpinionDraft {
            consultation_id: "2026-parking".into(),
            clause: Some(2),
            text: text.into(),
            ..Default::default()
        }
    }

    fn errors(draft: &OpinionDraft) -> Vec<(OpinionField, String)> {
        draft
            .validate(&consultation())
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    #[test]
    fn status_follows_the_period_and_publication() {
        let mut c = consultation();
        assert_eq!(
            c.status_on(date!(2026 - 10 - 31)),
            ConsultationStatus::NotStarted
        );
        assert_eq!(c.status_on(date!(2026 - 11 - 01)), ConsultationStatus::Open);
        assert_eq!(c.status_on(date!(2026 - 11 - 30)), ConsultationStatus::Open);
        assert_eq!(
            c.status_on(date!(2026 - 12 - 01)),
            ConsultationStatus::Closed
        );
        c.results_published = Some(date!(2026 - 12 - 20));
        assert_eq!(
            c.status_on(date!(2026 - 12 - 21)),
            ConsultationStatus::Answered
        );
        assert_eq!(c.period_days(), 30);
        assert_eq!(c.clause_label(Some(2)), "第2条 收费标准");
        assert_eq!(c.clause_label(None), "总体意见");
    }

    #[test]
    fn a_good_opinion_is_trimmed_and_its_contacts_normalised() {
        let mut d = draft("  建议夜间免费停车。 ");
        d.name = " 欧阳娜娜 ".into();
        d.phone = "+86 138-0000-1234".into();
        d.email = "ｃｉｔｉｚｅｎ@example.com".into();
        let valid = d.validate(&consultation()).unwrap();
        assert_eq!(valid.text, "建议夜间免费停车。");
        assert_eq!(valid.name.as_deref(), Some("欧阳娜娜"));
        assert_eq!(valid.phone.as_deref(), Some("13800001234"));
        assert_eq!(valid.email.as_deref(), Some("citizen@example.com"));
        let mut landline = draft("好");
        landline.phone = "0731-87654321".into();
        assert_eq!(
            landline.validate(&consultation()).unwrap().phone.as_deref(),
            Some("073187654321")
        );
    }

    #[test]
    fn every_bad_field_gets_a_precise_message() {
        assert_eq!(
            errors(&draft("")),
            [(OpinionField::Text, "请填写意见内容".into())]
        );
        assert_eq!(
            errors(&draft("   \n ")),
            [(OpinionField::Text, "请填写意见内容".into())]
        );
        let long = "字".repeat(5001);
        assert_eq!(
            errors(&draft(&long)),
            [(
                OpinionField::Text,
                "意见内容不能超过5000字，现有5001字，请删减1字".into()
            )]
        );
        assert!(draft(&"字".repeat(5000)).validate(&consultation()).is_ok());
        let mut bad = draft("<script>alert(1)</script>");
        bad.phone = "138abc".into();
        bad.email = "someone@".into();
        bad.clause = Some(9);
        let found = errors(&bad);
        let fields: Vec<OpinionField> = found.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [
                OpinionField::Clause,
                OpinionField::Phone,
                OpinionField::Email
            ]
        );
        assert!(found[1].1.contains("只能包含数字"));
        assert!(found[2].1.contains("域名"));
        let mut no_at = draft("好");
        no_at.email = "someone.example.com".into();
        assert!(errors(&no_at)[0].1.contains("@"));
        let mut short = draft("好");
        short.phone = "12345".into();
        assert!(errors(&short)[0].1.contains("位数不对"));
    }

    #[test]
    fn markup_is_kept_as_text_not_refused() {
        let valid = draft("<img src=x onerror=alert(1)>")
            .validate(&consultation())
            .unwrap();
        assert_eq!(valid.text, "<img src=x onerror=alert(1)>");
    }

    #[test]
    fn names_are_masked_for_publication() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("欧阳娜娜"), "欧阳**");
        assert_eq!(mask_name("欧阳"), "欧*");
        assert_eq!(mask_name("张"), "*");
        assert_eq!(mask_name(""), "");
        assert_eq!(mask_name("Li Lei"), "L*****");
    }

    #[test]
    fn receipt_numbers_read_back_however_they_are_typed() {
        let receipt = receipt_number(date!(2026 - 11 - 27), [0, 1, 2, 29, 30, 255]);
        assert_eq!(receipt, "YJ20261127-234Y2H");
        assert_eq!(
            normalise_receipt(" yj20261127-234y2h "),
            Some(receipt.clone())
        );
        assert_eq!(
            normalise_receipt("ＹＪ20261127－234Y2H"),
            Some(receipt.clone())
        );
        assert_eq!(normalise_receipt("YJ20261127-0OIL11"), None);
        assert_eq!(normalise_receipt("hello"), None);
    }

    #[test]
    fn verdicts_other_than_adopted_need_a_reason() {
        assert!(Verdict::Adopted.check_reason("").is_ok());
        assert_eq!(
            Verdict::NotAdopted.check_reason(" ").unwrap_err().to_string(),
            "“未采纳”须说明理由"
        );
        assert!(Verdict::PartlyAdopted
            .check_reason("与上位法冲突的部分未采纳")
            .is_ok());
    }

    #[test]
    fn consultations_read_from_json_with_plain_dates() {
        let json = r#"{"id":"a","title":"t","department":"d","start":"2026-11-01","end":"2026-11-30","draft_url":"/d.html"}"#;
        let c: Consultation = serde_json::from_str(json).unwrap();
        assert_eq!(c.period_days(), 30);
        assert!(c.check().is_ok());
        assert_eq!(serde_json::to_value(&c).unwrap()["start"], "2026-11-01");
    }

    #[test]
    fn redactions_must_cover_every_detected_match_and_stay_in_the_text() {
        let text = "我的电话13812345678，住在玉潭街道某小区3栋2单元501室。";
        let found = crate::personal_data::detect(text);
        assert!(found.len() >= 2, "{found:?}");
        let all: Vec<CharSpan> = found
            .iter()
            .map(|m| CharSpan {
                start: m.chars.start,
                end: m.chars.end,
            })
            .collect();
        assert!(matches!(
            check_redactions(text, &all[..1]),
            Err(ModerationError::Uncovered { .. })
        ));
        let len = text.chars().count();
        let beyond = [CharSpan { start: 4, end: len + 1 }];
        let error = check_redactions(text, &beyond).unwrap_err();
        assert!(matches!(error, ModerationError::BeyondEnd { .. }));
        assert!(error.to_string().contains("超出了意见全文"));
        let overlapping = [CharSpan { start: 0, end: 5 }, CharSpan { start: 4, end: 6 }];
        assert!(matches!(
            check_redactions(text, &overlapping),
            Err(ModerationError::Overlapping { .. })
        ));
        assert!(matches!(
            check_redactions(text, &[CharSpan { start: 3, end: 3 }]),
            Err(ModerationError::Empty { .. })
        ));
        let (published, changed) = published_text(text, &all);
        assert!(changed);
        assert!(!published.contains("13812345678") && !published.contains("501"));
        assert!(published.starts_with("我的电话＊＊＊"), "{published}");
        assert!(crate::personal_data::detect(&published).is_empty());
        // A list that fits no more hides the whole text; missing spans are still caught.
        assert_eq!(published_text("短", &beyond).0, "＊＊＊");
        let (guarded, _) = published_text(text, &[]);
        assert!(!guarded.contains("13812345678"));
        assert_eq!(published_text("建议延长公示期。", &[]), ("建议延长公示期。".into(), false));
    }

    #[test]
    fn withheld_opinions_are_counted_in_a_sentence_and_counts_go_per_clause() {
        assert_eq!(
            withheld_sentence(2, WithholdReason::Duplicate),
            "2 条意见因与已提交的意见重复未予公开"
        );
        assert_eq!(WithholdReason::from_key("abuse"), Some(WithholdReason::Abuse));
        assert_eq!(WithholdReason::from_key("x"), None);
        let counts = consultation().count_per_clause([Some(1), None, Some(9), Some(2), Some(2)]);
        assert_eq!(
            counts,
            vec![
                ("总体意见".to_string(), 2),
                ("第1条 适用范围".to_string(), 1),
                ("第2条 收费标准".to_string(), 2)
            ]
        );
        let decision: Moderation =
            serde_json::from_str(r#"{"decision":"withhold","reason":"advertising"}"#).unwrap();
        assert_eq!(decision, Moderation::Withhold { reason: WithholdReason::Advertising });
    }

    /// A ZIP of empty stored entries with these names.
    pub(crate) fn zip_with(names: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for name in names {
            let offset = out.len() as u32;
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&[0; 12]);
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(name.as_bytes());
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&(name.len() as u16).to_le_bytes());
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let start = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&[0, 0, 0, 0]);
        out.extend_from_slice(&(names.len() as u16).to_le_bytes());
        out.extend_from_slice(&(names.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&start.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }

    #[test]
    fn uploads_are_told_by_content_not_name() {
        assert_eq!(DocumentKind::sniff(b"%PDF-1.7\n..."), Some(DocumentKind::Pdf));
        assert_eq!(DocumentKind::sniff(b"MZ\x90\x00 this program cannot be run"), None);
        assert_eq!(DocumentKind::sniff(b"\x7fELF\x02\x01"), None);
        let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        assert_eq!(DocumentKind::sniff(&doc), None, "an OLE2 file without a Word stream");
        doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(DocumentKind::sniff(&doc), Some(DocumentKind::Doc));
        let docx = zip_with(&["[Content_Types].xml", "word/document.xml"]);
        assert_eq!(DocumentKind::sniff(&docx), Some(DocumentKind::Docx));
        assert_eq!(DocumentKind::sniff(&zip_with(&["OFD.xml", "Doc_0/Document.xml"])), Some(DocumentKind::Ofd));
        assert_eq!(DocumentKind::sniff(&zip_with(&["xl/workbook.xml"])), None);
        assert_eq!(DocumentKind::sniff(&docx[..docx.len() - 5]), None, "truncated");
        assert_eq!(DocumentKind::sniff(b""), None);
        assert_eq!(DocumentKind::Docx.extension(), "docx");
    }

    fn form() -> ConsultationForm {
        ConsultationForm {
            id: "2026-parking".into(),
            title: "宁乡市城区停车管理办法（征求意见稿）".into(),
            department: "宁乡市城市管理和综合执法局".into(),
            start: date!(2026 - 11 - 01),
            end: date!(2026 - 11 - 30),
            clauses: consultation().clauses,
            short_period_reason: String::new(),
            draft_url: None,
            explanation_url: None,
        }
    }

    #[test]
    fn a_short_period_needs_its_reason_and_an_opened_period_only_grows() {
        assert_eq!(form().check(), Ok(()));
        let mut short = form();
        short.end = date!(2026 - 11 - 15);
        assert!(short.check().unwrap_err().0.contains("须说明理由"));
        short.short_period_reason = "涉及汛期安全，需尽快出台".into();
        assert_eq!(short.check(), Ok(()));
        let mut bad = form();
        bad.id = "Parking Rules".into();
        assert!(bad.check().unwrap_err().0.contains("编号"));
        bad = form();
        bad.clauses[1].number = 5;
        assert!(bad.check().unwrap_err().0.contains("连续编号"));
        bad = form();
        bad.draft_url = Some("javascript:alert(1)".into());
        assert!(bad.check().unwrap_err().0.contains("链接"));

        let before = consultation();
        let mut later = form();
        later.end = date!(2026 - 12 - 15);
        assert_eq!(check_change(&before, &later, true, 3), Ok(PeriodChange::Extended));
        let mut earlier = form();
        earlier.end = date!(2026 - 11 - 20);
        earlier.short_period_reason = "x".into();
        assert!(check_change(&before, &earlier, true, 0).unwrap_err().0.contains("只能延后"));
        assert_eq!(check_change(&before, &earlier, false, 0), Ok(PeriodChange::Unchanged));
        let mut moved = form();
        moved.start = date!(2026 - 10 - 25);
        assert!(check_change(&before, &moved, true, 0).unwrap_err().0.contains("开始日期"));
        let mut clauses = form();
        clauses.clauses.pop();
        assert!(check_change(&before, &clauses, true, 2).unwrap_err().0.contains("条款不能再修改"));
        assert!(check_change(&before, &clauses, true, 0).is_ok());
        let consultation = later.to_consultation(Some("/api/f".into()), None);
        assert_eq!((consultation.draft_url.as_str(), consultation.period_days()), ("/api/f", 45));
    }

    #[test]
    fn catalogue_entries_are_checked() {
        let mut entry = CatalogueForm {
            year: 2027,
            title: "宁乡市城区停车收费调整".into(),
            department: "宁乡市发展和改革局".into(),
            stage: DecisionStage::Consulting,
            consultation_id: Some("2026-parking".into()),
            decision_url: None,
        };
        assert_eq!(entry.check(), Ok(()));
        assert_eq!(DecisionStage::Deliberating.word(), "审议中");
        entry.decision_url = Some("javascript:alert(1)".into());
        assert!(entry.check().is_err());
        entry.decision_url = None;
        entry.year = 1999;
        assert!(entry.check().unwrap_err().0.contains("年度"));
    }
}
