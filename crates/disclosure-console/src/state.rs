//! The console's state and the actions that change it: plain Rust, tested natively. The
//! shapes mirror what the console's API answers (`/api/officials/…`).

use std::rc::Rc;

use disclosure_core::consultation::{CharSpan, Clause, Moderation, Verdict};
use serde::Deserialize;
use yew::Reducible;

/// A role of the signed-in official.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RoleView {
    pub key: String,
    pub word: String,
}

/// The signed-in official.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Me {
    pub name: String,
    pub roles: Vec<RoleView>,
    pub csrf: String,
}

impl Me {
    /// Whether the official holds the role `key` (`editor`, `reviewer` …).
    pub fn can(&self, key: &str) -> bool {
        self.roles.iter().any(|r| r.key == key)
    }
}

/// An uploaded file of a consultation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FileRow {
    pub id: String,
    pub role: String,
    pub kind: String,
    pub file_name: String,
    pub size: i64,
}

/// A consultation as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ConsultationRow {
    pub id: String,
    pub title: String,
    pub department: String,
    pub start: String,
    pub end: String,
    #[serde(default)]
    pub draft_url: String,
    #[serde(default)]
    pub explanation_url: Option<String>,
    #[serde(default)]
    pub clauses: Vec<Clause>,
    pub stage: String,
    pub status_word: String,
    #[serde(default)]
    pub short_period_reason: Option<String>,
    pub revision: i64,
    pub opinions: i64,
    #[serde(default)]
    pub files: Vec<FileRow>,
}

/// A piece of personal data the server's screen found (characters).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Found {
    pub word: String,
    pub start: usize,
    pub end: usize,
}

/// An opinion on the review screen.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReviewItem {
    pub receipt: String,
    pub clause: String,
    pub text: String,
    #[serde(default)]
    pub name: Option<String>,
    pub has_contact: bool,
    pub received_at: String,
    pub detected: Vec<Found>,
    #[serde(default)]
    pub moderation: Option<Moderation>,
    #[serde(default)]
    pub moderated_by: Option<String>,
    #[serde(default)]
    pub preview: Option<String>,
    #[serde(default)]
    pub verdict: Option<Verdict>,
    #[serde(default)]
    pub reason: Option<String>,
    pub revision: i64,
}

/// The review screen of one consultation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReviewPage {
    pub consultation_id: String,
    pub title: String,
    pub status_word: String,
    pub total: usize,
    pub unreviewed: usize,
    pub unanswered: usize,
    pub statement: String,
    pub opinions: Vec<ReviewItem>,
}

/// An account as admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AccountRow {
    pub name: String,
    pub roles: Vec<RoleView>,
    pub locked: bool,
    pub disabled: bool,
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub address: String,
    pub detail: String,
}

/// A decision of the year's catalogue (年度重大行政决策事项目录).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DecisionRow {
    pub id: String,
    pub year: i32,
    pub title: String,
    pub department: String,
    /// drafting, consulting, deliberating or published.
    pub stage: String,
    pub stage_word: String,
    #[serde(default)]
    pub consultation_id: Option<String>,
    #[serde(default)]
    pub decision_url: Option<String>,
    pub revision: i64,
}

/// Which screen the console shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    SignIn,
    Consultations,
    Review(String),
    /// Editing a consultation, or a new one (`None`).
    Edit(Option<String>),
    Accounts,
    Audit,
    /// The catalogue of major decisions of a year.
    Catalogue(i32),
}

impl Screen {
    /// The screen's heading.
    pub fn title(&self) -> &'static str {
        match self {
            Screen::SignIn => "工作人员登录",
            Screen::Consultations => "意见征集",
            Screen::Review(_) => "审核意见",
            Screen::Edit(None) => "新建意见征集",
            Screen::Edit(Some(_)) => "编辑意见征集",
            Screen::Accounts => "账户管理",
            Screen::Audit => "审计日志",
            Screen::Catalogue(_) => "年度重大行政决策事项目录",
        }
    }
}

/// A sentence shown in the status area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// Data a screen loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded {
    Consultations(Vec<ConsultationRow>),
    Review(ReviewPage),
    Editing(ConsultationRow),
    Accounts(Vec<AccountRow>),
    Audit(Vec<AuditRow>),
    Catalogue(Vec<DecisionRow>),
    /// An opinion's contacts in words (receipt, text).
    Contacts(String, String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConsoleState {
    pub me: Option<Me>,
    /// `None` until the session check answered.
    pub screen: Option<Screen>,
    pub consultations: Vec<ConsultationRow>,
    pub review: Option<ReviewPage>,
    pub editing: Option<ConsultationRow>,
    pub accounts: Vec<AccountRow>,
    pub audit: Vec<AuditRow>,
    pub catalogue: Vec<DecisionRow>,
    /// Contacts opened on the review screen, by receipt (forgotten on leaving it).
    pub contacts: std::collections::BTreeMap<String, String>,
    pub notice: Option<Notice>,
    /// A request is under way: buttons that send are disabled.
    pub busy: bool,
    /// Bumped to load the screen's data again.
    pub generation: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SignedIn(Me),
    /// The session ended (signed out, expired); the sentence says why, if it should.
    SignedOut(Option<String>),
    Show(Screen),
    Loaded(Box<Loaded>),
    Busy,
    /// A change succeeded: say so and load the screen again.
    Done(String),
    /// A request failed: say why; the screen stays as it was.
    Failed(String),
}

impl Reducible for ConsoleState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SignedIn(me) => {
                next.me = Some(me);
                next.screen = Some(Screen::Consultations);
                next.notice = None;
                next.busy = false;
            }
            Action::SignedOut(why) => {
                next = ConsoleState {
                    screen: Some(Screen::SignIn),
                    notice: why.map(|text| Notice { text, error: true }),
                    generation: self.generation + 1,
                    ..ConsoleState::default()
                };
            }
            Action::Show(screen) => {
                if next.me.is_some() || screen == Screen::SignIn {
                    if let Screen::Edit(None) = screen {
                        next.editing = None;
                    }
                    next.screen = Some(screen);
                    next.notice = None;
                    next.contacts.clear();
                    next.generation += 1;
                }
            }
            Action::Loaded(loaded) => match *loaded {
                Loaded::Consultations(list) => next.consultations = list,
                Loaded::Review(page) => next.review = Some(page),
                Loaded::Editing(row) => next.editing = Some(row),
                Loaded::Accounts(list) => next.accounts = list,
                Loaded::Audit(rows) => next.audit = rows,
                Loaded::Catalogue(rows) => next.catalogue = rows,
                Loaded::Contacts(receipt, text) => {
                    next.contacts.insert(receipt, text);
                }
            },
            Action::Busy => next.busy = true,
            Action::Done(text) => {
                next.busy = false;
                next.notice = Some(Notice { text, error: false });
                next.generation += 1;
            }
            Action::Failed(text) => {
                next.busy = false;
                next.notice = Some(Notice { text, error: true });
            }
        }
        Rc::new(next)
    }
}

/// A text cut into runs, each either plain or a match of the personal-data screen (with
/// its kind in words), for highlighting without markup in the text. Matches are character
/// ranges; ones out of order or beyond the text are skipped.
pub fn segments(text: &str, found: &[Found]) -> Vec<(String, Option<String>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    for m in found {
        if m.start < at || m.end > chars.len() || m.start >= m.end {
            continue;
        }
        if m.start > at {
            out.push((chars[at..m.start].iter().collect(), None));
        }
        out.push((chars[m.start..m.end].iter().collect(), Some(m.word.clone())));
        at = m.end;
    }
    if at < chars.len() {
        out.push((chars[at..].iter().collect(), None));
    }
    out
}

/// The redactions of a decision to publish: every match the screen found, and each further
/// phrase the reviewer typed (one per line; every place it occurs), merged where they touch
/// or overlap. Phrases not in the text are returned apart, to be reported.
pub fn redactions(text: &str, found: &[Found], extra: &str) -> (Vec<CharSpan>, Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<CharSpan> = found
        .iter()
        .map(|m| CharSpan {
            start: m.start,
            end: m.end,
        })
        .collect();
    let mut missing = Vec::new();
    for phrase in extra.lines().map(str::trim).filter(|p| !p.is_empty()) {
        let needle: Vec<char> = phrase.chars().collect();
        let mut hit = false;
        let mut at = 0;
        while at + needle.len() <= chars.len() {
            if chars[at..at + needle.len()] == needle[..] {
                spans.push(CharSpan {
                    start: at,
                    end: at + needle.len(),
                });
                hit = true;
                at += needle.len();
            } else {
                at += 1;
            }
        }
        if !hit {
            missing.push(phrase.to_string());
        }
    }
    spans.sort_by_key(|s| (s.start, s.end));
    let mut merged: Vec<CharSpan> = Vec::new();
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    (merged, missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(word: &str, start: usize, end: usize) -> Found {
        Found {
            word: word.into(),
            start,
            end,
        }
    }

    #[test]
    fn matches_are_cut_out_as_runs_of_characters() {
        let text = "电话13812345678，谢谢";
        let runs = segments(text, &[found("手机号码", 2, 13)]);
        assert_eq!(
            runs,
            vec![
                ("电话".to_string(), None),
                ("13812345678".to_string(), Some("手机号码".to_string())),
                ("，谢谢".to_string(), None)
            ]
        );
        assert_eq!(segments("短", &[found("x", 0, 9)]), vec![("短".to_string(), None)]);
    }

    #[test]
    fn redactions_cover_the_matches_and_typed_phrases_merged() {
        let text = "我叫张三，电话13812345678，张三住三栋";
        let (spans, missing) = redactions(text, &[found("手机号码", 7, 18)], "张三\n李四\n");
        assert_eq!(
            spans,
            vec![
                CharSpan { start: 2, end: 4 },
                CharSpan { start: 7, end: 18 },
                CharSpan { start: 19, end: 21 }
            ]
        );
        assert_eq!(missing, vec!["李四".to_string()]);
        let (merged, _) = redactions("13812345678", &[found("m", 0, 11)], "1234");
        assert_eq!(merged, vec![CharSpan { start: 0, end: 11 }]);
    }

    #[test]
    fn signing_out_forgets_everything_and_says_why() {
        let state = Rc::new(ConsoleState::default());
        let me = Me {
            name: "wang".into(),
            roles: vec![],
            csrf: "t".into(),
        };
        let state = state.reduce(Action::SignedIn(me));
        assert_eq!(state.screen, Some(Screen::Consultations));
        let state = state.reduce(Action::Failed("不行".into()));
        assert!(state.notice.as_ref().unwrap().error);
        let state = state.reduce(Action::SignedOut(Some("登录已超时".into())));
        assert!(state.me.is_none());
        assert_eq!(state.screen, Some(Screen::SignIn));
        let state = state.reduce(Action::Show(Screen::Audit));
        assert_eq!(state.screen, Some(Screen::SignIn), "nothing but sign-in while signed out");
    }
}
